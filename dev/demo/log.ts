/** Progress lines for a human watching the terminal. */
let step = 0;
const TOTAL = 8;
const started = Date.now();

export const stepLog = (message: string) => {
  step += 1;
  console.log(`\n[${step}/${TOTAL}] ${message}`);
};
export const info = (message: string) => console.log(`      ${message}`);
export const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
