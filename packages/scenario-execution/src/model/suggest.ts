/** "Did you mean …?" hints: they live with the front end, which suggests keywords too. */
export { closest, didYouMean, editDistance } from '../language/suggest.js';
