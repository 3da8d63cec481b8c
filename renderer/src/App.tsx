/** The app's layout; the panels land in their own modules. */
export function App() {
  return <div className="app">Intake</div>;
}
