import { useEffect, useEffectEvent } from 'react';
import { TIMELINE_PAGE_MAX, type TimelinePage } from '../../../app/contract/index.js';
import { useHost, useIntake, useStoreApi } from '../context.js';
import type { HealthFocus } from '../health/health-slice.js';
import type { IntakeState } from '../store/store.js';
import { type JumpPlan, planJump } from './timeline-jump.js';

/** A located finding, for the timeline to show: the plan, and the older range it needs (already fetched). */
export interface FindingJump {
  focus: HealthFocus;
  connectionId: number;
  plan: JumpPlan | null;
  page: TimelinePage | null;
  /** Why the host could not say (it is gone, the connection is unknown...). */
  error: string | null;
}

const selectFocus = (s: IntakeState) => s.healthFocus;

/**
 * Follows the finding clicked in the Health panel: asks the host where its
 * moment falls in its connection's timeline (`timeline-at`: one binary
 * search there, not a scan of pages here), fetches the older range around
 * it when the window no longer holds it, and hands the result to `onJump`.
 * Everything happens in the answers' callbacks, never in a render.
 */
export function useFindingJump(onJump: (j: FindingJump) => void): void {
  const api = useHost();
  const store = useStoreApi();
  const focus = useIntake(selectFocus);
  const deliver = useEffectEvent(onJump);
  useEffect(() => {
    const moment = focus?.moment;
    if (!focus || !moment) return;
    let live = true;
    const { connectionId } = moment;
    const fail = (err: unknown): void => {
      if (live) deliver({ focus, connectionId, plan: null, page: null, error: (err as Error)?.message ?? String(err) });
    };
    api
      .request('timeline-at', { connectionId, atMs: moment.atMs })
      .then(async (m) => {
        const tl = store.getState().timeline;
        const plan = planJump(m, { from: tl.dropped(connectionId), length: tl.entries(connectionId).length });
        const page = plan.kind === 'page' ? await api.request('timeline', { connectionId, from: plan.from, count: TIMELINE_PAGE_MAX }) : null;
        if (live) deliver({ focus, connectionId, plan, page, error: null });
      })
      .catch(fail);
    return () => {
      live = false;
    };
  }, [api, store, focus]);
}
