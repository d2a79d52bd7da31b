import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.sandbox/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Name every export: no export *.' },
      ],
    },
  },
  {
    files: ['packages/sdk/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['alipay-legacy-*'], message: 'The SDK imports nothing of ours: it is the protocol, the rest builds on it.' }] },
      ],
    },
  },
  {
    files: ['apps/shop/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['alipay-legacy-sandbox', 'alipay-legacy-sandbox/*', '**/packages/sandbox/**', '**/packages/sdk/**', 'alipay-legacy/src/*'],
              message: 'The shop reaches the sandbox only over HTTP, as it would reach Alipay.',
            },
            {
              group: ['alipay-legacy/protocol'],
              message: "The shop is a merchant's integration: it uses the SDK's root entry (packages/sdk/README.md, Where things go).",
            },
          ],
        },
      ],
    },
  },
);
