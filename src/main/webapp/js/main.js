// TaskPulse board page. Same split as the backend:
//   entity/board.js             the state: tasks by id and the revision they reflect; applies feed messages
//                               and says whether one fits ('applied'), is old ('ignored') or leaves a gap.
//   control/feed-connection.js  the server: WebSocket with capped, jittered backoff; long-polling when
//                               WebSocket cannot be opened; resumes from the board's revision either way.
//   boundary/board-view.js      the page: updates only the rows that changed, at most once per frame.
// Messages are applied to the board the moment they arrive (so a resume always asks from the true revision);
// drawing waits for the next animation frame, so a burst of messages costs one render.

import { Board } from './entity/board.js';
import { FeedConnection } from './control/feed-connection.js';
import { BoardView } from './boundary/board-view.js';

const board = new Board();
const view = new BoardView(board);

const feed = new FeedConnection({
  revision: () => board.revision,
  onMessage: (message) => {
    const outcome = board.apply(message);
    view.invalidate();
    return outcome;
  },
  onState: (state) => view.showConnection(state),
});

// Back online: reconnect now rather than after whatever backoff is pending.
window.addEventListener('online', () => feed.retryNow());

view.render();
feed.start();
