/** The protocol flow of the selected connection (being built). */
export function ProtocolPanel() {
  return <section className="protocol-panel" data-testid="protocol-panel" />;
}
