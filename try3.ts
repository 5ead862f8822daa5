import { tokenize, skeleton } from './src/sanctions/match/normalize.ts';
import { nameSimilarity, tokenSimilarity } from './src/sanctions/match/matcher.ts';
const a = tokenize('Godwin MTANGA'), b = tokenize('MATANGA, Godwin');
console.log(a, b, nameSimilarity(a, b), tokenSimilarity('mtanga','matanga'), skeleton('godwin'), skeleton('mtanga'), skeleton('matanga'));
