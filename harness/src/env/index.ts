export type {
  ExternalEnvironmentOptions,
  LabEnvironment,
  LocalEnvironmentOptions,
  LocalLabEnvironment,
  RuntimeName,
  UpstreamChoice,
} from './types.js';
export { EnvironmentConnectError, EnvironmentStartError } from './errors.js';
export { startLocalEnvironment } from './local.js';
export { connectExternalEnvironment } from './external.js';
export { startGatewayProcess, type GatewayProcess, type GatewayProcessOptions } from './gateway-process.js';
export { startGatewayNodes, type GatewayNodes, type GatewayNodesOptions } from './gateway-nodes.js';
export { startTcpBalancer, type TcpBalancer, type BalancerBackend } from './tcp-balancer.js';
