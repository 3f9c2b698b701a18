// Boots the lab's web app: the event store, the WebSocket to the lab server, and the React tree. In a classroom,
// the instructor's page takes /instructor, and a joined student's work is restored and mirrored first.
import './zodJitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { INSTRUCTOR_PAGE_PATH } from '@core/protocol/classroom';
import { App } from './app/App';
import { ClassBar, InstructorLink } from './classroom/ClassBar';
import { fetchIdentity } from './classroom/classroomApi';
import { InstructorPage } from './classroom/InstructorPage';
import { StudentLink } from './classroom/studentLink';
import { migrateRenamedLessons } from './lessons/renamedLessons';
import { LabSocket } from './net/labSocket';
import { EventStore } from './store/eventStore';
import './styles.css';
import './classroom/classroom.css';

async function boot(): Promise<void> {
  migrateRenamedLessons();
  const identity = await fetchIdentity();
  const root = createRoot(document.getElementById('root')!);
  if (location.pathname === INSTRUCTOR_PAGE_PATH && identity.role === 'instructor') {
    root.render(
      <StrictMode>
        <InstructorPage />
      </StrictMode>,
    );
    return;
  }
  let link: StudentLink | null = null;
  if (identity.role === 'student') {
    // Before the app renders, so the lesson pages read the student's own work.
    link = new StudentLink(identity.name);
    link.start(identity.work);
  }

  const store = new EventStore();
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const socket = new LabSocket(wsUrl, store, import.meta.env.DEV ? 'dev' : __LAB_BUILD__);
  socket.connect();

  // Exposed for the lesson tests and for curious students in the console.
  (window as unknown as { gonetLab: unknown }).gonetLab = { socket, store, classroom: link };

  root.render(
    <StrictMode>
      <App socket={socket} store={store} />
    </StrictMode>,
  );
  if (link || identity.role === 'instructor') {
    const bar = document.createElement('div');
    document.body.append(bar);
    createRoot(bar).render(link ? <ClassBar link={link} /> : <InstructorLink />);
  }
}

void boot();
