import { useEffect, useState } from 'react';
import { TIMELINE_PAGE_MAX, type TimelinePage } from '../../../app/contract/index.js';
import { useHost } from '../context.js';

/** An older range of the shown connection's timeline, paged in from the host. */
export interface PageRequest {
  connectionId: number;
  from: number;
  /** The range, when the asker already has it (a finding's moment was located with it): nothing is fetched. */
  page?: TimelinePage;
}

/** The range asked for, once the host has answered (null while it is on its way or when none is asked), or why it failed. */
export function useTimelinePage(req: PageRequest | null): { page: TimelinePage | null; error: string | null } {
  const api = useHost();
  const [state, setState] = useState<{ req: PageRequest; page: TimelinePage | null; error: string | null } | null>(null);
  useEffect(() => {
    if (!req || req.page) return;
    let live = true;
    api
      .request('timeline', { connectionId: req.connectionId, from: req.from, count: TIMELINE_PAGE_MAX })
      .then((page) => live && setState({ req, page, error: null }))
      .catch((err: unknown) => live && setState({ req, page: null, error: (err as Error)?.message ?? String(err) }));
    return () => {
      live = false;
    };
  }, [api, req]);
  if (req?.page) return { page: req.page, error: null };
  if (!req || !state || state.req !== req) return { page: null, error: null };
  return { page: state.page, error: state.error };
}
