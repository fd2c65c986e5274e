// Opens a conversation of a file store for writing, says so, and holds it until stdin ends.
import { FileEventStore } from '../../src/index.js';

const [dir, conversationId] = process.argv.slice(2) as [string, string];
const handle = new FileEventStore(dir).open(conversationId);
process.stdout.write(`${JSON.stringify({ locked: true, pid: process.pid })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void handle.close().then(() => {
    process.stdout.write(`${JSON.stringify({ released: true })}\n`);
    process.exit(0);
  });
});
