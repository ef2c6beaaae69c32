#!/usr/bin/env python3
"""A small scriptable HTTP server that misbehaves on purpose, for the
archiver's tests: resets, timeouts, slow bodies, 500s, an endless query
calendar.  TCP_NODELAY is set on every connection.

usage: faulty.py PORT   (prints "ready" when listening; stops after 10 minutes)
"""
import gzip, os, http.server, socket, socketserver, struct, sys, threading, time, urllib.parse

hits = {}
lock = threading.Lock()

def count(path):
    with lock:
        hits[path] = hits.get(path, 0) + 1
        return hits[path]

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *a):
        pass

    def send(self, status, body, ctype="text/html; charset=utf-8", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        n = count(self.path)
        p = u.path
        if p == "/":
            links = ["/cal?m=1", "/flaky", "/always500", "/reset", "/slow", "/gzip", "/timeout", "/zombie"]
            body = "".join(f'<a href="{l}">{l}</a>\n' for l in links)
            return self.send(200, f"<html><head><title>故障站</title></head><body>{body}</body></html>".encode())
        if p == "/cal":
            m = int(q.get("m", ["1"])[0])
            body = f'<html><body>第{m}月 <a href="/cal?m={m+1}">下月</a> <a href="/cal?m={m-1}">上月</a></body></html>'
            return self.send(200, body.encode())
        if p == "/flaky":   # fails twice, then works: retries must get it
            if n <= 2:
                return self.send(503, b"busy")
            return self.send(200, "<html><body>终于成功 2019-03-04</body></html>".encode())
        if p == "/always500":
            return self.send(500, b"broken")
        if p == "/reset":   # RST instead of an answer: linger 0, then close the descriptor itself
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            os.close(self.connection.detach())
            raise ConnectionAbortedError("reset on purpose")
        if p == "/slow":    # a slow body that still arrives
            body = ("<html><body>" + "慢" * 200 + "</body></html>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(0, len(body), 100):
                self.wfile.write(body[i:i + 100]); self.wfile.flush(); time.sleep(0.05)
            return
        if p == "/gzip":
            body = gzip.compress("<html><body>压缩的页面 <a href=\"/\">home</a></body></html>".encode())
            return self.send(200, body, extra=[("Content-Encoding", "gzip")])
        if p == "/timeout":  # never answers within the test's transfer timeout
            time.sleep(8)
            return self.send(200, b"late")
        if p == "/zombie":
            return self.send(200, "<html><body>最后更新：2015年1月5日</body></html>".encode(),
                             extra=[("Last-Modified", "Mon, 05 Jan 2015 08:00:00 GMT")])
        if p == "/undated":  # no date in the text: Last-Modified, 16:00 GMT = next day in China
            return self.send(200, "<html><body>没有日期的页面</body></html>".encode(),
                             extra=[("Last-Modified", "Tue, 07 Mar 2023 16:00:00 GMT")])
        return self.send(404, b"<html><body>not found</body></html>")

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass   # the resets are on purpose

def main():
    port = int(sys.argv[1])
    srv = Server(("127.0.0.1", port), Handler)
    threading.Timer(600, srv.shutdown).start()
    print("ready", flush=True)
    srv.serve_forever()

if __name__ == "__main__":
    main()
