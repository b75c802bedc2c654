import { api } from '../api.ts';
import { usePoll } from '../live.ts';

/** The parts of GET /api/experiments the panel reads (src/api/routes-experiments.ts). */
interface ArmReport {
  arm: string;
  control: boolean;
  assigned: number;
  served: number;
  fellBack: number;
  published: number;
  measured: number;
  mean: number | null;
  lift: number | null;
  comparison:
    | { status: 'control' }
    | { status: 'not enough samples'; minSamples: number; measured: number; controlMeasured: number }
    | { status: 'tested'; pValue: number; significant: boolean };
}

interface ExperimentReport {
  id: string;
  description: string;
  state: 'scheduled' | 'running' | 'ended';
  test: string;
  alpha: number;
  minSamples: number;
  arms: ArmReport[];
}

function versus(a: ArmReport): string {
  const c = a.comparison;
  if (c.status === 'control') return 'control';
  if (c.status === 'not enough samples')
    return `not enough samples (${c.measured}/${c.minSamples}, control ${c.controlMeasured}/${c.minSamples})`;
  return `p = ${c.pValue.toFixed(4)}${c.significant ? ' · significant' : ''}`;
}

const cell = { padding: '2px 8px', textAlign: 'right' } as const;

/** A/B experiments: per arm, posts served and published, mean engagement, lift and the test. */
export function Experiments({ tick }: { tick: number }) {
  const list = usePoll(
    () => api.get<{ experiments: ExperimentReport[] }>('/api/experiments'),
    [tick],
    60_000,
  );
  const experiments = list.data?.experiments ?? [];
  return (
    <section className="card" aria-labelledby="exp-h">
      <h2 id="exp-h">Experiments</h2>
      {list.error ? <p className="error">{list.error}</p> : null}
      {experiments.length === 0 ? <p className="muted">No experiment configured.</p> : null}
      {experiments.map((e) => (
        <div key={e.id} data-experiment-id={e.id}>
          <h3>
            {e.id} <span className="muted">({e.state})</span>
          </h3>
          {e.description ? <p className="muted">{e.description}</p> : null}
          <table style={{ borderCollapse: 'collapse' }}>
            <thead>
              <tr>
                {[
                  'arm',
                  'assigned',
                  'served',
                  'fell back',
                  'published',
                  'measured',
                  'mean',
                  'lift',
                  'vs control',
                ].map((h) => (
                  <th key={h} style={cell}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {e.arms.map((a) => (
                <tr key={a.arm}>
                  <td style={{ ...cell, textAlign: 'left' }}>
                    {a.arm}
                    {a.control ? ' (control)' : ''}
                  </td>
                  <td style={cell}>{a.assigned}</td>
                  <td style={cell}>{a.served}</td>
                  <td style={cell}>{a.fellBack}</td>
                  <td style={cell}>{a.published}</td>
                  <td style={cell}>{a.measured}</td>
                  <td style={cell}>{a.mean === null ? '–' : a.mean.toFixed(2)}</td>
                  <td style={cell}>{a.lift === null ? '–' : `${(a.lift * 100).toFixed(1)}%`}</td>
                  <td style={{ ...cell, textAlign: 'left' }}>{versus(a)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {e.test} test, alpha {e.alpha}, at least {e.minSamples} measured posts per arm
          </p>
        </div>
      ))}
    </section>
  );
}
