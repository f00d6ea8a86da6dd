import type { CapturedStream } from '@/lib/capture/captured';
import { checkCommand, curlCommand, preflightCurlCommand } from '@/lib/panel/reproduce';
import { CommandBlock } from './CommandBlock';

/** Commands that reproduce the stream from a terminal, with the page's origin, credentials and headers. */
export function ValidateTab({ stream }: { readonly stream: CapturedStream }) {
  const { record } = stream;
  const preflight = preflightCurlCommand(record);
  return (
    <div class="validate" data-testid="validate">
      <CommandBlock
        title="Diagnose from a terminal"
        command={checkCommand(record)}
        testId="check-command"
        note="Runs the same engine against the live server, emulating this page's client (add --duration 20 to watch reconnects longer)."
      />
      {preflight ? <CommandBlock title="The preflight the browser sends" command={preflight} testId="preflight-command" note="Read the Access-Control-Allow-* response headers." /> : null}
      <CommandBlock
        title="The request with curl"
        command={curlCommand(record)}
        testId="curl-command"
        note={record.client.credentials === 'include' ? "The page sends cookies with this request: add -b 'name=value' to send yours." : '-N prints events as they arrive; -D - prints the response headers.'}
      />
    </div>
  );
}
