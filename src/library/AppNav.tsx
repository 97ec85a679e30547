import type { MouseEvent } from 'react';
import { useKineto } from '../store';
import { useLibrary, type View } from './library-store';

const LINKS: { view: View; href: string; label: string }[] = [
  { view: 'create', href: '#', label: 'Create' },
  { view: 'library', href: '#library', label: 'Library' },
];

/** The header's two views: making clips, and the Library of kept ones. */
export function AppNav() {
  const view = useLibrary((s) => s.view);
  const showView = useLibrary((s) => s.showView);
  // The Lab (src/lab) is a third view with its own route, #/lab; leaving it goes through the address too.
  const labOpen = useKineto((s) => s.lab.open);
  const go = (e: MouseEvent, to: View) => {
    e.preventDefault();
    if (labOpen) {
      location.hash = to === 'library' ? '#library' : '';
      return;
    }
    showView(to);
  };
  return (
    <nav className="app-nav" aria-label="Views">
      {LINKS.map((l) => (
        <a key={l.view} href={l.href} aria-current={view === l.view && !labOpen ? 'page' : undefined} onClick={(e) => go(e, l.view)}>
          {l.label}
        </a>
      ))}
      <a href="#/lab" aria-current={labOpen ? 'page' : undefined}>
        Lab
      </a>
    </nav>
  );
}
