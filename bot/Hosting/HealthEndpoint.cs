using EmpowerBot.Outbox;
using EmpowerBot.Storage;

namespace EmpowerBot.Hosting;

/// <summary>
/// GET /healthz, probed by App Service's health check. 503 "Unhealthy" when the store does not answer;
/// 200 "Degraded" when the outbox holds dead letters (the bot works, an operator should look); else 200 "Healthy".
/// </summary>
public static class HealthEndpoint
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (ITableStore store, IServiceProvider services, ILoggerFactory logs, CancellationToken ct) =>
        {
            var log = logs.CreateLogger(typeof(HealthEndpoint));
            var reachable = false;
            OutboxStatus? outbox = null;
            try
            {
                reachable = await store.PingAsync(ct);
                // Optional, so the endpoint also serves an app composed without the outbox.
                if (reachable && services.GetService<OutboxHealth>() is { } outboxHealth)
                {
                    outbox = await outboxHealth.ReadAsync(ct);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Health check: storage unreachable");
                reachable = false;
            }
            var status = !reachable ? "Unhealthy" : outbox is { DeadLetters: > 0 } ? "Degraded" : "Healthy";
            var body = new
            {
                status,
                storage = reachable ? "reachable" : "unreachable",
                outbox = outbox is null ? null : new { deadLetters = outbox.DeadLetters, oldestPendingSeconds = outbox.OldestPendingSeconds },
            };
            return Results.Json(body, statusCode: reachable ? 200 : 503);
        });
        return app;
    }
}
