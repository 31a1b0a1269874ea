/** Tracker's "YYYY-MM-DD HH:MM:SS" (`apriora help api`), in UTC. */
export function toTrackerDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
