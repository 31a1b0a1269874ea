export default `Exit codes
  0    success
`;
