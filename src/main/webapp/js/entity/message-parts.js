// Long feed messages (a big snapshot or catch-up) come over WebSocket in parts: each part is a message of the
// same type and revision with a slice of the lists; the second and later carry "part": 1, 2, …, all but the
// last "more": true. MessageParts keeps them and hands back the whole message once the last one is in.
// Parts of one message always arrive together and in order on one socket; a message without "part" starts anew.

const LISTS = ['tasks', 'deleted'];

export class MessageParts {
  #pending = null;   // the message being assembled
  #next = 0;         // the part number expected next

  /** The message to apply: the given one, the assembled whole, or null while parts are still to come. */
  add(message) {
    if (message === null || typeof message !== 'object') {
      return message;
    }
    if (Number.isSafeInteger(message.part) && message.part > 0) {
      if (!this.#continues(message)) {
        console.warn('TaskPulse: ignored a message part without its start:', message.type, message.part);
        this.#pending = null;
        return null;
      }
      for (const list of LISTS) {
        if (Array.isArray(message[list])) {
          this.#pending[list] = (this.#pending[list] ?? []).concat(message[list]);
        }
      }
      this.#next++;
    } else {
      this.#pending = { ...message };
      this.#next = 1;
    }
    if (message.more === true) {
      return null;
    }
    const whole = this.#pending;
    this.#pending = null;
    delete whole.more;
    delete whole.part;
    return whole;
  }

  #continues(part) {
    return this.#pending !== null && part.part === this.#next && part.type === this.#pending.type
        && part.revision === this.#pending.revision;
  }
}
