import { type RefObject, useEffect } from 'react';
import { setText } from '../util/set-text.js';
import { onEachFrame } from './player-readout.js';

/**
 * Write a fast-changing value into an element's text once per animation
 * frame, without React: `read()` is called each frame and the DOM is touched
 * only when the string changes.
 */
export function useFrameText(ref: RefObject<HTMLElement | null>, read: () => string): void {
  useEffect(() => {
    let last: string | null = null;
    return onEachFrame(() => {
      const el = ref.current;
      if (!el) return;
      const text = read();
      if (text !== last) {
        setText(el, text);
        last = text;
      }
    });
  }, [ref, read]);
}
