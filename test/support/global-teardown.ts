import { teardown } from './temporary-directory';

export default teardown;
