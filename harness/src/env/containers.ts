// The container runtime beside the local and external ones: httpbin and the gateway in Docker.
// (The implementation lives in harness/src/containers/.)

export {
  startContainerEnvironment,
  WORKSHOP_HTTPBIN_ALIAS,
  type ContainerEnvironmentOptions,
  type ContainerLabEnvironment,
  type ContainerRuntimeName,
} from '../containers/container-environment.js';
export { probeDocker, describeProbe, DockerUnavailableError, ImageBuildError, ContainerStartError } from '../containers/index.js';
