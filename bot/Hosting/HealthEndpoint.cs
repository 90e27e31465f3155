using EmpowerBot.Storage;

namespace EmpowerBot.Hosting;

/// <summary>GET /healthz: 200 when the store answers, 503 otherwise. App Service's health check probes it.</summary>
public static class HealthEndpoint
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (ITableStore store, ILoggerFactory logs, CancellationToken ct) =>
        {
            bool reachable;
            try
            {
                reachable = await store.PingAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logs.CreateLogger(typeof(HealthEndpoint)).LogError(e, "Health check: storage unreachable");
                reachable = false;
            }
            var body = new { status = reachable ? "Healthy" : "Unhealthy", storage = reachable ? "reachable" : "unreachable" };
            return Results.Json(body, statusCode: reachable ? 200 : 503);
        });
        return app;
    }
}
