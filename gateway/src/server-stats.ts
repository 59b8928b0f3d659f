// Connection and request counters in the shape of nginx's stub_status, which Kong's /status reports.

export interface ServerStats {
  connectionsActive: number;
  connectionsReading: number;
  connectionsWriting: number;
  connectionsWaiting: number;
  connectionsAccepted: number;
  connectionsHandled: number;
  totalRequests: number;
}

export function createServerStats(): ServerStats {
  return {
    connectionsActive: 0,
    connectionsReading: 0,
    connectionsWriting: 0,
    connectionsWaiting: 0,
    connectionsAccepted: 0,
    connectionsHandled: 0,
    totalRequests: 0,
  };
}
