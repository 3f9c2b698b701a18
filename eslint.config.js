// ESLint (flat config): typescript-eslint's recommended rules, the React hooks rules for the app, and the layout's
// import boundary (core/ imports only itself; server/ and web/ never each other outside tests).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Relative imports that climb into a top-level folder, at any depth. */
const into = (folder) => [
  `../${folder}/**`,
  `../../${folder}/**`,
  `../../../${folder}/**`,
  `../../../../${folder}/**`,
  `../../../../../${folder}/**`,
];

export default tseslint.config(
  {
    // Build output, reports, the Go and Python programs lessons ship, and Playwright's artefacts are not ours to lint.
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.lab-notes/**',
      '.tmp*/**',
      '**/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // `_`-prefixed names are deliberately unused (a callback's position, a destructured rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}', 'core/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // An exercise's start file leaves its parameters for the student to use.
    files: ['lessons/*/start.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...into('server'), ...into('web'), 'node:*'],
              message: 'core/ runs in both the browser and Node: it imports only core/ and zod.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: into('web'), message: 'server/ never imports web/: shared code goes in core/.' }] },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    ignores: ['web/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: into('server'), message: 'web/ never imports server/: shared code goes in core/.' }] },
      ],
    },
  },
);
