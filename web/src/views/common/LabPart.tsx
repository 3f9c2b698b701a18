// One part of a lab view (a step of the lesson): a section labelled by its heading, with where its figures come from.
import type { ReactNode } from 'react';
import type { EventSource } from '@core/protocol/events';
import { SourceBadge } from './SourceBadge';
import './labSections.css';

export function LabPart({
  titleId,
  title,
  source,
  children,
}: {
  /** The heading's id, which labels the section (unique in the page). */
  titleId: string;
  title: ReactNode;
  /** Where the part's figures come from; no badge when the part only holds controls. */
  source?: EventSource;
  children: ReactNode;
}) {
  return (
    <section className="lab-part" aria-labelledby={titleId}>
      <h4 id={titleId}>
        {title}
        {source && (
          <>
            {' '}
            <SourceBadge source={source} />
          </>
        )}
      </h4>
      {children}
    </section>
  );
}
