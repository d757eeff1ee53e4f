// Lint as the project's style asks: typescript-eslint's recommended rules (syntax only, no type
// information, so it stays fast enough to run with the quick tests), leading underscore for
// unused parameters. Formatting is prettier's job (`prettier --check`), not eslint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'store/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // The report's page script runs in the browser, as plain ES5 with uPlot as a global.
    files: ['src/report/assets/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'history',
          'uPlot',
          'Event',
          'getComputedStyle',
          'requestAnimationFrame',
          'setTimeout',
          'clearTimeout',
        ].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    // Plain JavaScript that runs under Node: test fixtures and the sample server `init` writes.
    files: ['test/fixtures/**/*.{js,mjs}', 'src/cli/templates/**/*.{js,mjs}'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'setImmediate', 'setInterval', 'setTimeout', 'clearTimeout', 'console', 'Buffer', 'URL'].map(
          (g) => [g, 'readonly'],
        ),
      ),
    },
  },
);
