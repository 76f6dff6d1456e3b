// The CEL library (cel-es with its protobuf descriptors, and kdry's extensions) loaded on first use.
// Loading it costs tens of milliseconds at every start (the bundle's top-level code and compiling
// it), while most runs evaluate no expression: `kdry simulate`, and files without CRD validation
// rules or admission policies. The bundler keeps a module reached only through require() behind a
// lazy initialiser; the checks that need it call celLibrary() when they meet an expression.
import type * as Library from './on-demand-library';

let loaded: typeof Library | undefined;

export function celLibrary(): typeof Library {
  return (loaded ??= require('./on-demand-library') as typeof Library);
}
