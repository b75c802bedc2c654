/** Small inline-SVG charts (no chart library): one series of labelled bars. */

export interface Bar {
  label: string;
  value: number;
  /** What a hover shows and screen readers read. */
  title: string;
}

/**
 * A bar chart scaled to the largest value; labels under the bars, the value
 * above. Fits its container's width (viewBox), so it works on a phone.
 */
export function BarChart({
  bars,
  format,
  height = 140,
}: {
  bars: Bar[];
  format: (v: number) => string;
  height?: number;
}) {
  if (bars.length === 0) return <p className="muted">No data in this period.</p>;
  const width = Math.max(300, bars.length * 48);
  const top = 18;
  const bottom = 22;
  const max = Math.max(...bars.map((b) => b.value), 1e-9);
  const slot = width / bars.length;
  const barWidth = Math.min(36, slot * 0.7);
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={bars.map((b) => b.title).join('; ')}
      preserveAspectRatio="xMidYMid meet"
    >
      <line x1={0} x2={width} y1={height - bottom} y2={height - bottom} className="axis" />
      {bars.map((b, i) => {
        const h = ((height - top - bottom) * b.value) / max;
        const x = i * slot + (slot - barWidth) / 2;
        const y = height - bottom - h;
        return (
          <g key={b.label}>
            <title>{b.title}</title>
            <rect x={x} y={y} width={barWidth} height={Math.max(h, 0.5)} rx={3} className="bar" />
            <text x={x + barWidth / 2} y={y - 4} textAnchor="middle" className="value">
              {format(b.value)}
            </text>
            <text x={x + barWidth / 2} y={height - 6} textAnchor="middle" className="label">
              {b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
