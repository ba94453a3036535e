const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const FORMAT = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

const two = (n: number) => String(n).padStart(2, '0');

/** The TIMESTAMP a PASSWORD_VERIFIER answer signs, e.g. "Tue Nov 3 08:02:15 UTC 2026" (day not zero-padded). */
export function srpTimestamp(ms: number): string {
  const d = new Date(ms);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${time} UTC ${d.getUTCFullYear()}`;
}

/**
 * Epoch ms of a TIMESTAMP, or undefined unless it is spelled exactly as clients spell it:
 * a wrong weekday, an impossible date or a padded day are refused, as Cognito refuses them.
 */
export function parseSrpTimestamp(text: string): number | undefined {
  const m = FORMAT.exec(text);
  const month = m ? MONTHS.indexOf(m[1]!) : -1;
  if (!m || month < 0) return undefined;
  const ms = Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  return srpTimestamp(ms) === text ? ms : undefined;
}
