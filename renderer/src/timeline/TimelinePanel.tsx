/** The message timeline of the selected connection (being built). */
export function TimelinePanel() {
  return <section className="timeline-panel" data-testid="timeline-panel" />;
}
