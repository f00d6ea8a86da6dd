// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyComponent } from '@/components/app/lazy';

afterEach(cleanup);

function Greeting({ name }: { readonly name: string }) {
  return <p data-testid="greeting">Hello {name}</p>;
}

describe('lazyComponent', () => {
  it('shows that it is loading, then the component with its props; once loaded, renders at once', async () => {
    let loads = 0;
    const LazyGreeting = lazyComponent('greeting', async () => {
      loads++;
      return Greeting;
    });
    render(<LazyGreeting name="panel" />);
    expect(screen.getByTestId('lazy-loading').textContent).toBe('Loading greeting…');
    expect((await screen.findByTestId('greeting')).textContent).toBe('Hello panel');
    cleanup();
    render(<LazyGreeting name="again" />);
    expect(screen.getByTestId('greeting').textContent).toBe('Hello again');
    expect(loads).toBe(1);
  });

  it('says when the code cannot be loaded, and tries again on the next mount', async () => {
    let attempts = 0;
    const LazyGreeting = lazyComponent('greeting', async () => {
      attempts++;
      if (attempts === 1) throw new Error('chunk missing');
      return Greeting;
    });
    render(<LazyGreeting name="panel" />);
    expect((await screen.findByRole('alert')).textContent).toBe('The greeting code could not be loaded: chunk missing');
    cleanup();
    render(<LazyGreeting name="panel" />);
    expect((await screen.findByTestId('greeting')).textContent).toBe('Hello panel');
    expect(attempts).toBe(2);
  });
});
