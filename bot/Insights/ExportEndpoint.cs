using EmpowerBot.Hosting;

namespace EmpowerBot.Insights;

/// <summary>GET /api/export/{ledger|approvals|audit}.csv?t={signed link}: the export's files, streamed.</summary>
public static class ExportEndpoint
{
    public static IEndpointRouteBuilder MapExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/export/{part}.csv", HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext http, string part, ExportLinks links, ExportCsv csv, ILoggerFactory logs, CancellationToken ct)
    {
        if (!Enum.TryParse<ExportPart>(part, ignoreCase: true, out var which) || !Enum.IsDefined(which) || part.Any(char.IsDigit))
        {
            await HttpProblem.Json(404, "There is no such export file: ledger, approvals or audit.").ExecuteAsync(http);
            return;
        }
        var (grant, refusal) = await links.VerifyAsync(http.Request.Query["t"], ct);
        if (grant is null)
        {
            logs.CreateLogger(typeof(ExportEndpoint)).LogWarning("Refused an export download: {Reason}", refusal);
            await HttpProblem.Json(403, refusal!).ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{ExportCsv.FileName(grant, which)}\"";
        http.Response.Headers.CacheControl = "no-store";
        await csv.WriteAsync(grant, which, http.Response.Body, ct);
    }
}
