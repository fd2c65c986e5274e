// Follows a log with the inspector, closes it, and prints what it saw. The process must
// then exit by itself: a watcher left open would keep it alive.
import { startInspector } from '../../src/visualizer/index.js';
import type { InspectorSnapshot } from '../../src/visualizer/index.js';

const [logPath] = process.argv.slice(2);
const inspector = await startInspector({ logPath: logPath! });
const snapshot = (await (
  await fetch(new URL('/api/snapshot', inspector.url))
).json()) as InspectorSnapshot;
console.log(
  JSON.stringify({
    type: 'following',
    following: snapshot.following,
    events: snapshot.timeline.length,
  }),
);
await inspector.close();
console.log(JSON.stringify({ type: 'closed' }));
