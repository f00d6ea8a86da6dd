import { h, type ComponentType, type FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A component whose code is fetched the first time it is shown, then rendered synchronously ever
 * after. Preact's own `lazy` lives in preact/compat, which the panel does not otherwise need.
 * The load is shared: every instance waits on the same import.
 */
export function lazyComponent<P extends object>(name: string, load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let failure: string | null = null;
  let loading: Promise<void> | null = null;
  const start = () => {
    if (loading) return loading;
    failure = null;
    loading = load().then(
      (component) => {
        loaded = component;
      },
      (error: unknown) => {
        failure = error instanceof Error ? error.message : String(error);
        // A later mount tries again: a failed chunk load is not cached by the module loader either.
        loading = null;
      },
    );
    return loading;
  };

  function Lazy(props: P) {
    const [, settle] = useState(0);
    useEffect(() => {
      if (loaded) return undefined;
      let mounted = true;
      void start().then(() => {
        if (mounted) settle((n) => n + 1);
      });
      return () => {
        mounted = false;
      };
    }, []);
    if (loaded) return h(loaded, props);
    if (failure) {
      return (
        <p class="field-problem" role="alert">
          The {name} code could not be loaded: {failure}
        </p>
      );
    }
    return (
      <p class="muted" data-testid="lazy-loading" aria-busy="true">
        Loading {name}…
      </p>
    );
  }
  Lazy.displayName = `Lazy(${name})`;
  return Lazy;
}
