// Boots the lab's web app: the event store, the WebSocket to the lab server, and the React tree.
import './zodJitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { LabSocket } from './net/labSocket';
import { EventStore } from './store/eventStore';
import './styles.css';

const store = new EventStore();
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
const socket = new LabSocket(wsUrl, store, import.meta.env.DEV ? 'dev' : __LAB_BUILD__);
socket.connect();

// Exposed for the lesson tests and for curious students in the console.
(window as unknown as { gonetLab: unknown }).gonetLab = { socket, store };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App socket={socket} store={store} />
  </StrictMode>,
);
