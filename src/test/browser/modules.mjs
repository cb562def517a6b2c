// Local modules for a testnet, for demonstrations and the docs/LIVE-VIEW.md screenshot: one API
// connection per node that subscribes to TYPE and answers every notification "valid" (an item
// nobody validates is not spread). Usage:
//   node modules.mjs TYPE API_PORT... [--announce SECONDS TEXT]
// With --announce, the first connection announces TEXT after SECONDS (and every SECONDS after).
import net from 'node:net';

const args = process.argv.slice(2);
const type = Number(args[0]);
const a = args.indexOf('--announce');
const ports = (a >= 0 ? args.slice(1, a) : args.slice(1)).map(Number);
const sockets = [];
for (const port of ports) {
  const s = net.connect(port, '127.0.0.1');
  let buf = Buffer.alloc(0);
  s.on('connect', () => {
    const notify = Buffer.alloc(8);
    notify.writeUInt16BE(8, 0); notify.writeUInt16BE(501, 2); notify.writeUInt16BE(0, 4); notify.writeUInt16BE(type, 6);
    s.write(notify);
  });
  s.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 4 && buf.length >= buf.readUInt16BE(0)) {
      const size = buf.readUInt16BE(0);
      if (buf.readUInt16BE(2) === 502) {
        const v = Buffer.alloc(8);
        v.writeUInt16BE(8, 0); v.writeUInt16BE(503, 2); v.writeUInt16BE(buf.readUInt16BE(4), 4); v.writeUInt16BE(1, 6);
        s.write(v);
      }
      buf = buf.subarray(size);
    }
  });
  s.on('error', (e) => console.error(`api :${port}: ${e.message}`));
  sockets.push(s);
}
if (a >= 0) {
  const every = Number(args[a + 1]) * 1000;
  const text = Buffer.from(args[a + 2] || 'hello');
  const announce = () => {
    const m = Buffer.alloc(8 + text.length);
    m.writeUInt16BE(8 + text.length, 0); m.writeUInt16BE(500, 2); m.writeUInt8(0, 4); m.writeUInt8(0, 5); m.writeUInt16BE(type, 6);
    text.copy(m, 8);
    sockets[0].write(m);
    console.log('announced');
  };
  setInterval(announce, every);
}
