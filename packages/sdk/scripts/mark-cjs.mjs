// The CommonJS build lives under dist/cjs; a nested package.json tells Node to read it as CommonJS
// even though the package itself is "type": "module".
import { writeFileSync } from 'node:fs';
writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
