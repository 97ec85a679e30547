import { formatRoute, useKineto, type View, VIEWS } from '../store';

const LABELS: Record<View, string> = { create: 'Create', library: 'Library', lab: 'Lab', storyboard: 'Storyboard', live: 'Live' };

/** The header's views: making clips, the Library of kept ones, the Lab, films, and Live. */
export function AppNav() {
  const shown = useKineto((s) => s.route.view);
  const navigate = useKineto((s) => s.navigate);
  return (
    <nav className="app-nav" aria-label="Views">
      {VIEWS.map((view) => (
        <a
          key={view}
          href={formatRoute({ view, query: '' }) || '#'}
          aria-current={view === shown ? 'page' : undefined}
          onClick={(e) => (e.preventDefault(), navigate(view))}
        >
          {LABELS[view]}
        </a>
      ))}
    </nav>
  );
}
