// Types of build/after-pack.mjs, for the test that runs the hook.
import type { PackContext } from './fuses.mjs';
export declare function afterPack(context: PackContext): Promise<void>;
export default afterPack;
