import type { HeaderList } from '@/lib/model/headers';
import { visibleText } from '../controls/format';
import type { ExchangeMarks, HeaderMark } from '@/lib/model/header-marks';

interface Props {
  readonly title: string;
  readonly lines: HeaderList;
  readonly marks: ReadonlyMap<number, HeaderMark> | undefined;
  readonly missing: ExchangeMarks['missing'];
}

/** Raw header lines in wire order, duplicates and case kept; lines a finding points at are marked. */
export function HeaderLines({ title, lines, marks, missing }: Props) {
  return (
    <section class="header-lines" aria-label={title}>
      <h3>{title}</h3>
      {lines.length === 0 && missing.length === 0 ? <p class="muted">None captured.</p> : null}
      <ul>
        {lines.map(([name, value], index) => {
          const mark = marks?.get(index);
          return (
            <li key={index} class={mark ? `marked mark-${mark.severity}` : ''} data-testid={mark ? 'offending-header' : 'header-line'} data-header={name.toLowerCase()} title={mark ? `Flagged by ${mark.ruleIds.join(', ')}` : undefined}>
              {mark ? <MarkSign mark={mark} /> : null}
              <span class="header-name">{visibleText(name)}</span>: <span class="header-value">{visibleText(value)}</span>
            </li>
          );
        })}
        {missing.map(({ header, mark }) => (
          <li key={`missing-${header}`} class={`marked missing mark-${mark.severity}`} data-testid="missing-header" data-header={header.toLowerCase()}>
            <MarkSign mark={mark} />
            <span class="header-name">{visibleText(header)}</span>: <em>missing</em>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The marker is drawn; screen readers hear the severity and the rules instead. */
function MarkSign({ mark }: { readonly mark: HeaderMark }) {
  return (
    <>
      <span class="mark-sign" aria-hidden="true">
        ▲{' '}
      </span>
      <span class="visually-hidden">{`${mark.severity}, flagged by ${mark.ruleIds.join(', ')}: `}</span>
    </>
  );
}
