// natural's top-level entry loads dotenv, which prints; kefu imports the Porter stemmer file alone.
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}
