import { PLATFORM_LABELS, PLATFORMS, type Platform } from '@/lib/fixes/plan';

interface Props {
  readonly platform: Platform;
  onChange(platform: Platform): void;
  readonly id: string;
}

export function PlatformPicker({ platform, onChange, id }: Props) {
  const choose = (value: string) => {
    const chosen = PLATFORMS.find((option) => option === value);
    if (chosen) onChange(chosen);
  };
  return (
    <label class="inline-field" for={id}>
      Server
      <select id={id} value={platform} onChange={(event) => choose(event.currentTarget.value)} data-testid="platform-picker">
        {PLATFORMS.map((option) => (
          <option key={option} value={option}>
            {PLATFORM_LABELS[option]}
          </option>
        ))}
      </select>
    </label>
  );
}
