// Boots the join page: a small bundle of its own, the only page a browser that has not joined may load.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyTheme, initialTheme } from '../app/theme';
import { JoinPage } from './JoinPage';
import '../styles.css';
import './classroom.css';

applyTheme(initialTheme());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <JoinPage />
  </StrictMode>,
);
