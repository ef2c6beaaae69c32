/*
 * 长者模式 (elderly-friendly mode, GB/T 37668 and the MIIT 适老化 design
 * rules): larger text and stronger contrast, switched by the button in the
 * header and remembered across pages in localStorage.
 *
 * Loaded from <head> without defer, so the class is on <html> before the
 * first paint and a page never flashes in the small print.  The button is
 * written hidden and shown here: without JavaScript there is no switch
 * that does nothing.  Plain ES5, for the old browsers of office PCs.
 */
(function () {
	var KEY = 'jiyue-elder';
	var root = document.documentElement;
	var on = false;

	/* localStorage throws when storage is disabled: the mode then lasts
	   for the page only. */
	try {
		on = window.localStorage.getItem(KEY) === '1';
	} catch (e) {}

	function apply() {
		if (on)
			root.className += (root.className ? ' ' : '') + 'elder';
		else
			root.className = root.className.replace(/(^|\s)elder(?!\S)/g, '');
	}

	function wire() {
		var button = document.getElementById('elder-toggle');
		if (!button)
			return;
		button.setAttribute('aria-pressed', on ? 'true' : 'false');
		button.hidden = false;
		button.onclick = function () {
			on = !on;
			apply();
			button.setAttribute('aria-pressed', on ? 'true' : 'false');
			try {
				window.localStorage.setItem(KEY, on ? '1' : '0');
			} catch (e) {}
		};
	}

	if (on)
		apply();
	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', wire);
	else
		wire();
})();
