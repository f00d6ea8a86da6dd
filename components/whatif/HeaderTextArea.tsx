import { useRef } from 'preact/hooks';
import type { LineProblem } from '@/lib/whatif/header-text';
import { visibleText } from '../controls/format';

interface Props {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly problems: readonly LineProblem[];
  readonly testId: string;
  /** `data-exchange` of the DOM contract; absent for the request headers. */
  readonly exchange?: string;
  readonly disabled?: boolean;
  readonly placeholder?: string;
  onInput(text: string): void;
}

/**
 * Header lines as editable text, one `Name: value` per line. A gutter beside the text numbers the
 * lines and marks the malformed ones where they are; the reasons are listed below it, one line each.
 */
export function HeaderTextArea({ id, label, value, problems, testId, exchange, disabled, placeholder, onInput }: Props) {
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = Math.max(value.split(/\r\n|\n|\r/).length, 2);
  const byLine = new Map(problems.map((p) => [p.line, p.reason]));
  const describedBy = problems.length > 0 ? `${id}-problems` : undefined;
  return (
    <div class="header-text">
      <label for={id} class="field-label">
        {label}
      </label>
      <div class="header-text-box">
        <div class="header-text-gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => {
            const reason = byLine.get(i + 1);
            return (
              <div key={i} class={reason ? 'gutter-line gutter-problem' : 'gutter-line'} title={reason}>
                {reason ? '!' : i + 1}
              </div>
            );
          })}
        </div>
        <textarea
          id={id}
          class="header-text-input"
          data-testid={testId}
          data-exchange={exchange}
          rows={Math.min(lineCount, 14)}
          wrap="off"
          spellcheck={false}
          autocomplete="off"
          disabled={disabled}
          placeholder={placeholder}
          aria-invalid={problems.length > 0}
          aria-describedby={describedBy}
          value={value}
          onInput={(event) => onInput(event.currentTarget.value)}
          // The gutter scrolls with the text so each mark stays beside its line.
          onScroll={(event) => {
            if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
          }}
        />
      </div>
      {problems.length > 0 ? (
        <ul class="line-problems" id={describedBy}>
          {problems.map((p) => (
            <li key={p.line} data-testid="whatif-problem" data-line={p.line} data-exchange={exchange}>
              line {p.line}: {visibleText(p.reason)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
