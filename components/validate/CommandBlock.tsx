import { CopyButton } from '../controls/CopyButton';
import { visibleText } from '../controls/format';

interface Props {
  readonly title: string;
  readonly command: string;
  readonly note: string;
  readonly testId: string;
}

export function CommandBlock({ title, command, note, testId }: Props) {
  return (
    <section class="command" aria-label={title}>
      <div class="command-head">
        <h2>{title}</h2>
        <CopyButton text={command} label={`Copy: ${title}`} />
      </div>
      <pre class="command-text" data-testid={testId}>
        {visibleText(command)}
      </pre>
      <p class="muted">{note}</p>
    </section>
  );
}
