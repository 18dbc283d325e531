/** Last step of `npm run build`: records which sources dist/ was built from (see dist-stamp.ts). */
import { recordDistBuild } from './dist-stamp';

recordDistBuild();
