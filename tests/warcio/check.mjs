#!/usr/bin/env node
// Read a WARC with an independent reader (webrecorder's warcio.js) and check
// what jiyue wrote: every record parses (WARC headers, and HTTP for request,
// response and revisit records), block and payload digests verify, record
// IDs are unique, WARC-Concurrent-To and revisit references point at records
// in the file.  With --cdxj, our index must agree with warcio.js's own
// CDXIndexer (timestamp, url, mime, status, digest, offset, length, and with
// --keys the SURT key: warcio.js's getSurt() and the Python surt package
// that cdxj-indexer uses differ on some URLs, e.g. a trailing '/').
// With --wacz, the package is read as ReplayWeb.page reads it: the zip's
// central directory, datapackage.json hashes, pages.jsonl, and every index
// line resolved to a record by a byte range into the stored WARC.
//
// usage: node tests/warcio/check.mjs FILE.warc[.gz] [--cdxj FILE.cdxj]
//                                    [--keys] [--wacz FILE.wacz] [--expect TYPE=N]...
// Prints the count of records per type; exits 1 on any problem.

import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import { gunzipSync, inflateRawSync } from "node:zlib";
import { basename } from "node:path";
import { readFile } from "node:fs/promises";
import { WARCParser, CDXIndexer } from "warcio";

const problems = [];
const problem = (msg) => problems.push(msg);

// An unreadable file is a problem like any other, not a stack trace.
process.on("uncaughtException", (e) => {
  console.error(`problem: ${e.message}`);
  process.exit(1);
});

// warcio.js reports format trouble (e.g. a wrong Content-Length) only as a warning.
const warn = console.warn;
console.warn = (...args) => {
  problem("warcio: " + args.join(" "));
  warn(...args);
};

function usage() {
  console.error("usage: check.mjs FILE.warc[.gz] [--cdxj FILE.cdxj [--keys]] [--wacz FILE.wacz] [--expect TYPE=N]...");
  process.exit(2);
}

const args = process.argv.slice(2);
let warcPath = null;
let cdxjPath = null;
let waczPath = null;
let keys = false;
const expect = {};
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--cdxj") cdxjPath = args[++i];
  else if (args[i] === "--wacz") waczPath = args[++i];
  else if (args[i] === "--keys") keys = true;
  else if (args[i] === "--expect") {
    const m = /^([a-z]+)=(\d+)$/.exec(args[++i] || "");
    if (!m) usage();
    expect[m[1]] = Number(m[2]);
  } else if (!warcPath && !args[i].startsWith("-")) warcPath = args[i];
  else usage();
}
if (!warcPath) usage();

// RFC 4648 base32, as in "sha1:BASE32" labelled digests.
function base32(buf) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, value = 0, out = "";
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

const sha1 = (data) => "sha1:" + base32(createHash("sha1").update(data).digest());

function headEnd(block) {
  const i = block.indexOf("\r\n\r\n");
  return i < 0 ? -1 : i + 4;
}

const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;
const URI = /^[a-z][a-z0-9+.-]*:[\x21-\x7e]+$/i;

// ---- pass 1: raw blocks and WARC headers ----
const records = [];
const byId = new Map();
{
  const parser = new WARCParser(createReadStream(warcPath), { parseHttp: false });
  for await (const record of parser) {
    const h = record.warcHeaders.headers;
    const type = record.warcType;
    const where = `${type} record at offset ${parser.offset}`;
    const block = Buffer.from(await record.readFully());
    const rec = {
      type,
      id: h.get("WARC-Record-ID"),
      uri: h.get("WARC-Target-URI"),
      date: h.get("WARC-Date"),
      payloadDigest: h.get("WARC-Payload-Digest"),
      concurrentTo: h.get("WARC-Concurrent-To"),
      offset: parser.offset,
      length: parser.recordLength,
      headers: h,
      where,
    };
    records.push(rec);

    if (record.warcHeaders.protocol !== "WARC/1.1")
      problem(`${where}: version ${record.warcHeaders.protocol}, not WARC/1.1`);
    for (const name of ["WARC-Record-ID", "WARC-Date", "WARC-Type", "Content-Length"])
      if (!h.get(name)) problem(`${where}: no ${name}`);
    if (!/^<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}>$/.test(rec.id || ""))
      problem(`${where}: WARC-Record-ID ${rec.id} is not a random UUID URN`);
    if (byId.has(rec.id)) problem(`${where}: WARC-Record-ID ${rec.id} used twice`);
    byId.set(rec.id, rec);
    if (!DATE.test(rec.date || "")) problem(`${where}: WARC-Date ${rec.date}`);
    if (block.length !== Number(h.get("Content-Length")))
      problem(`${where}: block has ${block.length} bytes, Content-Length says ${h.get("Content-Length")}`);
    if (h.get("WARC-Block-Digest") !== sha1(block))
      problem(`${where}: WARC-Block-Digest ${h.get("WARC-Block-Digest")}, computed ${sha1(block)}`);

    if (type === "warcinfo") {
      if (rec.uri) problem(`${where}: warcinfo with a WARC-Target-URI`);
      continue;
    }
    if (!URI.test(rec.uri || "")) problem(`${where}: WARC-Target-URI ${rec.uri} is not a bare ASCII URI`);
    const ct = h.get("Content-Type");
    const wantCt = {
      response: "application/http;msgtype=response",
      revisit: "application/http;msgtype=response",
      request: "application/http;msgtype=request",
      metadata: "application/warc-fields",
    }[type];
    if (ct !== wantCt) problem(`${where}: Content-Type ${ct}, expected ${wantCt}`);
    if (type === "response" || type === "request" || type === "revisit") {
      const end = headEnd(block);
      if (end < 0) {
        problem(`${where}: no end of HTTP headers in the block`);
        continue;
      }
      rec.payloadLength = block.length - end;
      if (type === "revisit") {
        if (rec.payloadLength) problem(`${where}: revisit with a payload`);
      } else if (rec.payloadDigest !== sha1(block.subarray(end))) {
        problem(`${where}: WARC-Payload-Digest ${rec.payloadDigest}, computed ${sha1(block.subarray(end))}`);
      }
    }
  }
}

// warcio.js stops quietly at a torn gzip member: the records must cover the file.
// (In a plain .warc, warcio.js leaves the last record's CRLF CRLF out of its length.)
{
  const file = await readFile(warcPath);
  const last = records[records.length - 1];
  const end = last ? last.offset + last.length : 0;
  const rest = file.subarray(end);
  const gz = file[0] === 0x1f && file[1] === 0x8b;
  if (end > file.length || (rest.length && (gz || rest.some((b) => b !== 13 && b !== 10))))
    problem(`records end at byte ${end} of ${file.length} (a torn or unreadable record?)`);
}

// ---- references ----
const firstResponse = new Map();
for (const rec of records) {
  if (rec.concurrentTo && !byId.has(rec.concurrentTo))
    problem(`${rec.where}: WARC-Concurrent-To ${rec.concurrentTo} is not in the file`);
  if ((rec.type === "request" || rec.type === "metadata") && !rec.concurrentTo)
    problem(`${rec.where}: no WARC-Concurrent-To`);
  if (rec.type === "response" && rec.payloadLength && !firstResponse.has(rec.payloadDigest))
    firstResponse.set(rec.payloadDigest, rec);
  if (rec.type === "revisit") {
    const h = rec.headers;
    const orig = byId.get(h.get("WARC-Refers-To"));
    if (h.get("WARC-Profile") !== "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest")
      problem(`${rec.where}: WARC-Profile ${h.get("WARC-Profile")}`);
    if (!orig || orig.type !== "response" || orig.offset >= rec.offset)
      problem(`${rec.where}: WARC-Refers-To ${h.get("WARC-Refers-To")} is no earlier response`);
    else if (orig.uri !== h.get("WARC-Refers-To-Target-URI") || orig.date !== h.get("WARC-Refers-To-Date") ||
             orig.payloadDigest !== rec.payloadDigest)
      problem(`${rec.where}: refers-to URI, date or digest differ from the record referred to`);
  }
}

// ---- pass 2: the HTTP layer, as replay tools parse it ----
{
  const parser = new WARCParser(createReadStream(warcPath), { parseHttp: true });
  let i = 0;
  for await (const record of parser) {
    const rec = records[i++];
    const type = record.warcType;
    if (!rec || rec.type !== type || rec.offset !== parser.offset) {
      problem(`second pass: record ${i} differs (${type} at ${parser.offset})`);
      break;
    }
    if (type !== "response" && type !== "request" && type !== "revisit") {
      await record.skipFully();
      continue;
    }
    if (!record.httpHeaders) {
      problem(`${rec.where}: warcio.js found no HTTP headers`);
      continue;
    }
    if (type !== "request" && !(record.httpHeaders.statusCode >= 100 && record.httpHeaders.statusCode < 600))
      problem(`${rec.where}: HTTP status ${record.httpHeaders.statusCode}`);
    const payload = await record.readFully(false);
    if (payload.length !== rec.payloadLength)
      problem(`${rec.where}: warcio.js read ${payload.length} payload bytes, expected ${rec.payloadLength}`);
  }
  if (i !== records.length) problem(`second pass read ${i} records, first pass ${records.length}`);
}

// ---- the CDXJ index against warcio.js's ----
if (cdxjPath) {
  const filename = basename(warcPath);
  const theirs = new Map();
  const indexer = new CDXIndexer({ format: "cdxj" });
  for await (const cdx of indexer.iterIndex([{ filename, reader: createReadStream(warcPath) }]))
    theirs.set(Number(cdx.offset), cdx);
  const lines = (await readFile(cdxjPath, "utf8")).split("\n").filter((l) => l);
  const sorted = [...lines].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  if (lines.join("\n") !== sorted.join("\n")) problem("cdxj: lines are not sorted bytewise");
  const indexed = records.filter((r) => r.type === "response" || r.type === "revisit");
  if (lines.length !== indexed.length)
    problem(`cdxj: ${lines.length} lines for ${indexed.length} response and revisit records`);
  for (const line of lines) {
    const m = /^(\S+) (\d{14}) (\{.*\})$/.exec(line);
    if (!m) {
      problem(`cdxj: bad line ${line}`);
      continue;
    }
    const ours = JSON.parse(m[3]);
    const cdx = theirs.get(Number(ours.offset));
    if (!cdx) {
      problem(`cdxj: warcio.js indexed nothing at offset ${ours.offset}`);
      continue;
    }
    const pairs = [
      ["key", m[1], keys ? cdx.urlkey : m[1]], ["timestamp", m[2], cdx.timestamp],
      ["url", ours.url, cdx.url], ["mime", ours.mime, cdx.mime],
      ["status", ours.status, cdx.status], ["digest", ours.digest, cdx.digest],
      ["length", ours.length, cdx.length], ["offset", ours.offset, cdx.offset],
      ["filename", ours.filename, filename],
    ];
    for (const [name, a, b] of pairs)
      if (String(a ?? "") !== String(b ?? ""))
        problem(`cdxj: ${name} at offset ${ours.offset}: ours ${a}, warcio.js ${b}`);
  }
}

// ---- the WACZ, read as ReplayWeb.page does ----
// The zip's central directory: name -> { method, size, data offset }.
function zipEntries(zip) {
  const entries = new Map();
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--)
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Error("no end of central directory");
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error("bad central directory");
    const method = zip.readUInt16LE(p + 10);
    const csize = zip.readUInt32LE(p + 20), size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28), extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32), local = zip.readUInt32LE(p + 42);
    const name = zip.toString("utf8", p + 46, p + 46 + nameLen);
    if (csize === 0xffffffff || size === 0xffffffff || local === 0xffffffff)
      throw new Error(`${name}: zip64 is beyond this check`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    entries.set(name, { name, method, csize, size, start });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function entryData(zip, e) {
  const raw = zip.subarray(e.start, e.start + e.csize);
  if (e.method === 0) return raw;
  if (e.method === 8) return inflateRawSync(raw);
  throw new Error(`${e.name}: compression method ${e.method}`);
}

async function checkWacz(path) {
  const zip = await readFile(path);
  let entries;
  try {
    entries = zipEntries(zip);
  } catch (e) {
    problem(`wacz: ${e.message}`);
    return;
  }
  const names = [...entries.keys()];
  for (const need of ["datapackage.json", "datapackage-digest.json", "pages/pages.jsonl"])
    if (!entries.has(need)) problem(`wacz: no ${need}`);
  const warcs = names.filter((n) => n.startsWith("archive/"));
  const indexes = names.filter((n) => n.startsWith("indexes/"));
  if (!warcs.length || !indexes.length) problem("wacz: no archive/ or no indexes/ files");
  for (const n of warcs)
    if (entries.get(n).method !== 0) problem(`wacz: ${n} is compressed in the zip (must be STORE)`);
  if (!entries.has("datapackage.json")) return;

  const dpBytes = entryData(zip, entries.get("datapackage.json"));
  const dp = JSON.parse(dpBytes.toString("utf8"));
  if (dp.profile !== "data-package" || dp.wacz_version !== "1.1.1")
    problem(`wacz: profile ${dp.profile}, wacz_version ${dp.wacz_version}`);
  const listed = new Set();
  for (const r of dp.resources || []) {
    listed.add(r.path);
    const e = entries.get(r.path);
    if (!e) {
      problem(`wacz: resource ${r.path} is not in the zip`);
      continue;
    }
    const data = entryData(zip, e);
    const hash = "sha256:" + createHash("sha256").update(data).digest("hex");
    if (r.hash !== hash || r.bytes !== data.length)
      problem(`wacz: ${r.path}: listed ${r.hash} ${r.bytes}, found ${hash} ${data.length}`);
  }
  for (const n of names)
    if (n !== "datapackage.json" && n !== "datapackage-digest.json" && !listed.has(n))
      problem(`wacz: ${n} is not listed in datapackage.json`);
  if (entries.has("datapackage-digest.json")) {
    const dd = JSON.parse(entryData(zip, entries.get("datapackage-digest.json")).toString("utf8"));
    const hash = "sha256:" + createHash("sha256").update(dpBytes).digest("hex");
    if (dd.path !== "datapackage.json" || dd.hash !== hash) problem("wacz: datapackage-digest.json does not match");
  }
  if (entries.has("pages/pages.jsonl")) {
    const lines = entryData(zip, entries.get("pages/pages.jsonl")).toString("utf8").split("\n").filter((l) => l);
    const head = JSON.parse(lines[0] || "{}");
    if (head.format !== "json-pages-1.0") problem("wacz: pages.jsonl has no json-pages-1.0 header");
    for (const l of lines.slice(1)) {
      const page = JSON.parse(l);
      if (!page.url || !DATE.test(page.ts || "")) problem(`wacz: page ${l}`);
    }
  }
  // Every index line leads to its record by a byte range into the stored WARC.
  let resolved = 0;
  for (const n of indexes) {
    for (const line of entryData(zip, entries.get(n)).toString("utf8").split("\n").filter((l) => l)) {
      const m = /^(\S+) (\d{14}) (\{.*\})$/.exec(line);
      const cdx = m && JSON.parse(m[3]);
      const warc = cdx && entries.get("archive/" + cdx.filename);
      if (!warc) {
        problem(`wacz: index line names no archive/ file: ${line}`);
        continue;
      }
      const start = warc.start + Number(cdx.offset);
      let member;
      try {
        member = gunzipSync(zip.subarray(start, start + Number(cdx.length)));
      } catch (e) {
        problem(`wacz: ${cdx.url}: bytes ${cdx.offset}+${cdx.length} are no gzip member: ${e.message}`);
        continue;
      }
      const record = await WARCParser.parse([member]);
      const date = record ? record.warcDate.replace(/[-:T]/g, "").slice(0, 14) : "";
      if (!record || record.warcTargetURI !== cdx.url || date !== m[2] ||
          !["response", "revisit"].includes(record.warcType))
        problem(`wacz: ${cdx.url} at ${cdx.offset}: found ${record && record.warcType} ${record && record.warcTargetURI}`);
      else resolved++;
    }
  }
  console.log(`wacz: ${names.length} files, ${resolved} index lines resolved to records`);
}

if (waczPath) await checkWacz(waczPath);

// ---- report ----
const counts = {};
for (const rec of records) counts[rec.type] = (counts[rec.type] || 0) + 1;
for (const [type, n] of Object.entries(counts)) console.log(`${type}: ${n}`);
for (const [type, n] of Object.entries(expect))
  if ((counts[type] || 0) !== n) problem(`expected ${n} ${type} records, found ${counts[type] || 0}`);
if (!records.length) problem("no records");

if (problems.length) {
  for (const p of problems) console.error("problem: " + p);
  console.error(`${warcPath}: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`${warcPath}: ${records.length} records read by warcio.js, digests verified` +
            (cdxjPath ? ", CDXJ agrees" : "") + (waczPath ? ", WACZ verified" : ""));
