/*
 * site: the portal's settings, read from site.yaml at the source root.
 *
 *   title: 示例市人民政府           (required)
 *   baseURL: https://www.example.gov.cn/   (required; its path is the site root)
 *   language: zh-CN                  theme: default
 *   paginate: 20                     markup: {unsafe: false}
 *   footer: {...}  platforms: {...}  (passed to templates as site.footer / site.platforms)
 *   deploy: {root: /srv/jiyue/public, listen: 80, redirects: /etc/jiyue/redirects}
 *                                    where the server configs for old hosts
 *                                    point (docs/redirects.md)
 *
 * Unknown top-level keys are passed to templates too (site.params.KEY and
 * site.KEY), as Hugo passes params.
 */
#ifndef JIYUE_SITE_H
#define JIYUE_SITE_H

#include "common/arena.h"

struct diag_list;
struct value;

/* deploy: paths and addresses written into the generated server configs. */
struct site_deploy {
	const char *root;      /* the portal's web root on the server; NULL: the build's destination */
	const char *listen;    /* nginx `listen` / Apache `VirtualHost` address: "80", "127.0.0.1:8080" */
	const char *redirects; /* where redirects/ is installed; NULL: where the build writes it */
};

struct site_config {
	const char *file;      /* path of site.yaml, for diagnostics */
	const char *title;
	const char *base_url;  /* always ends with '/' */
	const char *root;      /* path part of base_url: "/" or "/portal/" */
	const char *language;
	const char *theme;
	long long paginate;
	int unsafe_html;       /* markup.unsafe: raw HTML passes through */
	struct site_deploy deploy;
	struct value *raw;     /* the whole document */
};

/*
 * Load and validate SOURCE/site.yaml into cfg, allocating from a.
 * Returns 0, or -1 after adding errors to diags.
 */
int site_config_load(struct site_config *cfg, struct arena *a,
		     const char *source_dir, struct diag_list *diags);

#endif
