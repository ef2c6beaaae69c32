/*
 * url: parsing, resolution and normalisation of http(s) URLs, the keys the
 * archive is indexed by (canonical form, SURT), and the mapping of a URL to
 * a file of the browsable copy.
 *
 * URLs are hostile input: everything here accepts any byte string and either
 * fails with -1 or produces a well-formed result.  Only http and https URLs
 * are accepted anywhere in the archiver.
 *
 * Normal form (what url_parse() leaves in struct url and url_normalize()
 * prints): lower-case scheme and host, no default port, no userinfo (it is
 * dropped: "http://good.gov.cn@evil.com/" is evil.com), no fragment, a path
 * that starts with '/' and has no "." or ".." segment, and percent-encoding
 * normalised in path and query: escapes of unreserved characters
 * (A-Z a-z 0-9 - . _ ~) decoded, other escapes in upper-case hex, a '%' that
 * starts no escape written "%25", and space, bytes >= 0x80, '"', '<', '>',
 * '\\', '^', '`', '{', '|', '}' encoded.  Other reserved characters are left
 * as written: "/a!b" and "/a%21b" are different URLs (RFC 3986 6.2.2.2).
 * Non-ASCII bytes are encoded as they are, so a caller converting a GBK page
 * to UTF-8 must encode its query text in GBK first, as browsers do.
 *
 * Hosts: percent-escapes decoded; internationalised names converted to
 * punycode ("示例.政务" -> "xn--fsq092h.xn--zfr164b"; ASCII and fullwidth
 * letters are lower-cased and "。" separates labels, but there is no full
 * IDNA mapping); one trailing dot dropped; only a-z 0-9 '-' '_' '.' allowed,
 * no empty label, labels of at most 63 bytes; a name ending in a number is
 * an IPv4 address as browsers read it ("127.1" -> "127.0.0.1", "0x7f.1");
 * IPv6 addresses stay in brackets, lower-cased but otherwise as written.
 */
#ifndef JIYUE_ARCHIVER_URL_H
#define JIYUE_ARCHIVER_URL_H

#include <stddef.h>

struct strbuf;

struct url {
	char *scheme;   /* "http" or "https", lower case */
	char *host;     /* lower case; IPv6 in brackets as written */
	int port;       /* -1 when absent or the scheme's default */
	char *path;     /* starts with '/', dot segments removed, percent-encoding normalised */
	char *query;    /* without '?'; NULL when absent ("" when '?' with nothing) */
};

/*
 * Parse an absolute http(s) URL into normal form.  Browsers' leniency after
 * the scheme is kept ("http:example.com", "http:///example.com" name the
 * host example.com).  Returns 0, or -1 (u zeroed) for anything else: another
 * scheme, a relative reference, an empty or invalid host, a bad port, a
 * control character anywhere (url_resolve() strips tabs and newlines first).
 */
int url_parse(const char *abs, struct url *u);
void url_release(struct url *u);
/* Append scheme://host[:port]path[?query] (never a fragment). */
void url_format(const struct url *u, struct strbuf *out);

/*
 * Resolve ref against the absolute base (RFC 3986 section 5.2, with the
 * "non-strict" reading browsers use: "http:g" on an http base is relative),
 * normalise, drop the fragment, and append the result to out.
 * Like browsers for http(s): leading and trailing spaces and controls of ref
 * are trimmed and tabs and newlines inside it removed; backslashes before
 * the query count as '/'; any number of slashes may follow "//" or a
 * scheme ("///x" is host x).  Returns 0, or -1 (out unchanged) when the
 * result is not an http(s) URL (mailto:, javascript:, data:, ftp:, ...) or
 * base or ref cannot be parsed.
 */
int url_resolve(const char *base, const char *ref, struct strbuf *out);

/*
 * url_resolve() against a base parsed beforehand with url_parse(): a page's
 * links all share its base, and parsing it for each was a good part of a
 * crawl's time.
 */
int url_resolve_parsed(const struct url *base, const char *ref, struct strbuf *out);

/* The normal form of an absolute URL (see above), appended to out; 0 or -1. */
int url_normalize(const char *abs, struct strbuf *out);

/*
 * Canonical form for deduplication within one site: url_normalize(), then
 * the query reduced to the parameters named in keep (matched ignoring ASCII
 * case, since ASP reads "ID" as "id"; keep NULL or nkeep 0 keeps all),
 * sorted by name then value (stable; "a" sorts before "a="), empty pieces
 * ("&&") and an empty query removed.  When the URL's host[:port] is one of
 * hosts (every host of the site, "host" or "host:port", the canonical one
 * first), it is replaced by hosts[0]: http://old-alias/x and
 * http://www.site/x are the same page.  The scheme is kept.  Pass NULL/0 to
 * skip host folding.  Appends to out; 0 or -1.
 */
int url_canonical(const char *abs, const char *const *keep, size_t nkeep,
		  const char *const *hosts, size_t nhosts, struct strbuf *out);

/*
 * The hosts of a site parsed once, for url_canonical_in(): a crawl
 * canonicalises every link it finds, and parsing the site's hosts again
 * for each was a good part of its time.  Owns its strings.
 */
struct url_hosts {
	char **host;   /* normalised host; NULL where the entry did not parse */
	long *port;    /* -1: none given */
	size_t nr;
};

void url_hosts_init(struct url_hosts *uh, const char *const *hosts, size_t nhosts);
void url_hosts_release(struct url_hosts *uh);

/* url_canonical() with the hosts parsed beforehand (uh may be NULL). */
int url_canonical_in(const char *abs, const char *const *keep, size_t nkeep,
		     const struct url_hosts *uh, struct strbuf *out);

/* Append "host" or "host:port" of an absolute URL (lower case, default port dropped); 0 or -1. */
int url_hostport(const char *abs, struct strbuf *out);

/*
 * The file of the browsable copy for a canonical URL, relative to the
 * capture's site/ root, appended to out.  mime is the type the response was
 * served with (parameters ignored: "text/html; charset=gbk"), or NULL when
 * unknown: then the URL's own extension is trusted.  Returns 0, or -1 when
 * the URL does not parse.  The path is normalised first, so any URL may be
 * given; the query should be the canonical one (url_canonical()).
 *
 * THE MAPPING.  For a URL whose path is "/" s1 "/" ... "/" sn (sn is empty
 * when the path ends in '/'), the file is
 *
 *	HOST "/" D(s1) "/" ... "/" D(s(n-1)) "/" F(sn, query, mime)
 *
 * The marker is '@'.  URL text is never copied with a bare '@': every '@'
 * in a name is followed either by two upper-case hex digits (an escape,
 * part of the text) or by a lower-case letter g-z or '.' (a generated
 * field, after all the text).
 *
 * T(x), the text of a segment or of the query x (as in the normal form):
 *  - a run of escapes that is one UTF-8 character of a caseless script is
 *    written as that character: CJK ideographs, kana, Hangul syllables,
 *    bopomofo, Yi, CJK/fullwidth punctuation and common symbols (see
 *    decodable() in url.c, which also leaves out anything with a canonical
 *    decomposition, combining marks, spaces and format characters, and the
 *    fullwidth look-alikes of / \ : * ? " < > | that Windows "best fit"
 *    turns into ASCII).  "%E9%80%9A%E7%9F%A5" -> "通知".  GBK bytes,
 *    accented and fullwidth Latin letters stay escaped.
 *  - an escape of a byte that path_join_safe() refuses (00-1F, 7F, '/',
 *    '\\') becomes '@' and the hex of the byte + 0x80 ("%2F" -> "@AF");
 *    other escapes are copied ("%20", "%CD%A8").
 *  - a literal '@', ':' or '*', in the query also '/' and '?', in a segment
 *    a leading or trailing '.', the last character of a Windows device name
 *    (CON, PRN, AUX, NUL, COM0-9, LPT0-9, CONIN$, CONOUT$, before any '.'),
 *    and in a directory the '.' of a final extension, become '@' and the
 *    hex of the byte ("@40", "@3A", "@2E"; always 20-7E).
 *  - everything else is copied; the normal form has already encoded spaces,
 *    controls, '\\', '"', '<', '>' and '|'.
 * So '%' always starts a URL escape, raw bytes >= 0x80 always come from a
 * decoded escape, and T is reversible.
 *
 * "x has an extension": its last '.' is not its first byte and is followed
 * by 1 to 12 ASCII letters or digits up to the end.
 *
 * Generated fields, in this order, each '@' + code + payload:
 *	@i          the index file of a path ending in '/'
 *	@q<T(q)>    the query
 *	@u<hex>     the case of the ASCII letters of the text (segment, then
 *	            query; letters inside escapes do not count): lower-case
 *	            hex digit k holds letters 4k..4k+3, bit 0 the first, zero
 *	            digits at the end dropped; only when a letter is upper case
 *	@h<16 hex>  FNV-1a 64 of the role, the whole segment and the query,
 *	            replacing @q and @u when a name would exceed 200 bytes
 *	@n          the name of an empty directory segment ("/a//b")
 *	@s          after HOST: the scheme is https
 *
 * F, the file:
 *  - "index.html" for a path ending in '/' with no query, served as HTML or
 *    of unknown type;
 *  - T(sn) as it is ("plain") when there is no query, no upper-case letter,
 *    T(sn) has an extension that suits the type, and T(sn) is not
 *    "index.html";
 *  - otherwise B "@" fields "." X, where B is T(sn), or "index" followed by
 *    the field "i" for a path ending in '/', and X is the extension of the
 *    type (html for HTML), else the name's own extension in lower case
 *    (unless the type is known and the extension renders as a document),
 *    else "bin" ("html" for an index of unknown type).  Examples:
 *    /a (HTML) -> "a@.html", /list.php?id=5 -> "list.php@qid=5.html",
 *    /ABC.pdf -> "ABC.pdf@u7.pdf", /?id=1 -> "index@i@qid=1.html",
 *    /index.html -> "index.html@.html";
 *  - over 200 bytes: the first <= 120 bytes of T(sn) (whole characters
 *    and escapes), or "index@i", then "@h" hash, "." X.
 * An extension suits HTML (text/html, application/xhtml+xml) when it is
 * html or htm; it suits another type of the table in url.c when it is one
 * of the type's own or a known static extension that servers do not render
 * as a document (not html, htm, shtml, xhtml, xht, xml, xsl, xslt, svg,
 * svgz, so that text served as text/plain is never published as HTML); for
 * a type not in the table (application/octet-stream...) any extension but
 * those suits; with mime NULL any extension does.
 *
 * D, a directory: "@n" when empty; T(s) when it has no upper-case letter;
 * else T(s) "@u" mask; over 200 bytes: first <= 120 bytes of T(s), "@h"
 * hash.  (The extension's '.' was escaped by T, so /a.html/x works.)
 *
 * HOST: host[:port] with ':' written '+' (never in a host name:
 * "127.0.0.1+8080", "[++1]+8080"), a device name escaped as in T, then
 * "@s" for https: http://h/x and https://h/x are different URLs and get
 * different files ("h/x@.html", "h@s/x@.html").  Never "index.html", the
 * capture's own index beside the hosts (that host is "index.htm@6C").
 * Hashed when over 200 bytes.
 *
 * A whole path over 1024 bytes becomes HOST "/@h" hash-of-the-URL "." X.
 *
 * WHY IT IS INJECTIVE, also where case does not count (Windows, macOS):
 * (1) A name splits uniquely: its text ends at the first '@' followed by
 *     g-z or '.'; fields are recognised by their codes; a file's fields end
 *     at its last '.'.  T is reversible, so text and fields give back the
 *     segment, the query and whether the name is an index.
 * (2) Case folding keeps digits, '@', '.', the field codes (lower case
 *     already) and the bytes of decoded characters (caseless by choice); the
 *     hex of escapes is always upper case.  So names equal up to case have
 *     the same structure, the same @u mask and texts equal up to case, which
 *     the mask then makes equal.
 * (3) Every file name ends in an extension ("index.html", plain names by
 *     the rule, generated ones in "." X); no directory name does (T escapes
 *     a final extension's '.', and fields and "@n" contain no '.').  So a
 *     file never takes the name of a directory: /a and /a/b, /a.html and
 *     /a.html/x can all be stored.  (HOST, "www.x.gov.cn", is a directory
 *     at a level where no URL's file is.)
 * (4) Plain file names are never "index.html", never contain a field, and
 *     the index's fields start with @i, so "/" "/index.html" "/a" "/a.html"
 *     "/a?x" "/a/" all differ.
 * (5) Only names with @h (over 200 bytes, or a path over 1024) can meet, at
 *     the odds of a 64-bit hash collision (FNV is no defence against a site
 *     that crafts colliding over-long URLs on purpose: one file would then
 *     hold the later of the two).
 * SAFETY: the result always passes path_unsafe_reason() (common/path.h): no
 * '/' or '\\' in a name, no '.' or ".." segment, no empty segment, no
 * absolute path, no control character, not even %-encoded; segments are at
 * most 200 bytes, the whole at most 1024.  Symlinks already on disk are the
 * writer's business (open with O_NOFOLLOW below the root).
 */
int url_local_path(const char *canonical, const char *mime, struct strbuf *out);

/*
 * Append the relative path from file `from` to file `to`, both relative to
 * the same root: "a/b/c.html" -> "a/d.css" gives "../d.css".
 */
void url_relative_path(const char *from, const char *to, struct strbuf *out);

/*
 * Append a relative file path (url_relative_path()) in the form a link
 * needs: '%' (names keep URL escapes literally: "a%20b.pdf" is requested as
 * "a%2520b.pdf"), non-ASCII bytes, ':', '&', '\'', '(', ')' and anything
 * outside RFC 3986 pchar percent-encoded, so that the result can go as it
 * is into an HTML attribute or a CSS url().
 * "通知%20.pdf" -> "%E9%80%9A%E7%9F%A5%2520.pdf".
 */
void url_path_to_href(const char *path, struct strbuf *out);

/*
 * Append the SURT key of an http(s) URL as cdxj-indexer (surt.surt() with
 * its defaults, which pywb and warcio-based tools use) computes it:
 * "http://www.Example.gov.cn:80/a/b?z=1&a=2" -> "cn,gov,example)/a/b?a=2&z=1".
 * Rules, from the surt package's DefaultIAURLCanonicalizer and SURT format:
 *  - input: ASCII whitespace trimmed, tabs/CR/LF removed, "http://" added
 *    when there is no scheme, "http://https://x" read as "https://x";
 *    userinfo and fragment dropped; a trailing ':' with no port ignored;
 *  - host: escapes decoded repeatedly, non-ASCII to punycode, ".." -> ".",
 *    dots trimmed, lower case, a leading "www.", "www2." ... removed,
 *    numeric hosts read as IPv4 ("3279880203" -> "195.127.0.11"), labels
 *    reversed and joined by ',' (IPv4 addresses too: "1,0,0,127");
 *  - port: kept unless it is the scheme's default (80, 443);
 *  - path: escapes decoded repeatedly, "." and ".." resolved, empty segments
 *    dropped, re-escaped (only controls, space, '#', '%' and bytes >= 0x80),
 *    lower-cased (escapes too: "%e9"), ASP.NET "(S(...))/" session segments
 *    removed, a trailing '/' removed except for "/";
 *  - query: escapes decoded repeatedly and re-escaped, jsessionid /
 *    phpsessid / sid (32 chars), ASPSESSIONIDxxxxxxxx and cfid+cftoken
 *    removed, lower-cased, arguments sorted by (name, value) bytewise,
 *    removed when empty;
 *  - no scheme in the key, no trailing comma.
 * Returns 0, or -1 (out unchanged) for another scheme, no host or a bad port,
 * where cdxj-indexer falls back to the URL itself.
 */
int url_surt(const char *abs, struct strbuf *out);

#endif
