using System.Net;
using System.Text;
using EmpowerBot.Hosting;

namespace EmpowerBot.Outbox;

/// <summary>
/// Posts signed JSON to a webhook (see <see cref="WebhookSignature"/> for the scheme) through the "Webhooks" HttpClient,
/// which runs the resilience pipeline, and turns the answer into a <see cref="DeliveryOutcome"/> for the outbox:
/// 2xx delivered; 408, 429, 5xx and network failures (after the pipeline's own retries) retried later, honouring
/// Retry-After; any other answer failed for good, since sending the same request again cannot succeed.
/// </summary>
public sealed class WebhookClient(
    IHttpClientFactory clients, [FromKeyedServices(Clocks.Wall)] TimeProvider wall, ILogger<WebhookClient> log)
{
    public const string HttpClientName = "Webhooks";

    public async Task<DeliveryOutcome> PostAsync(Uri url, string jsonBody, string idempotencyKey, string signingSecret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentException.ThrowIfNullOrEmpty(signingSecret);
        // The receiver checks the timestamp against its own clock, so it is wall time even when business time is simulated.
        var timestamp = wall.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(jsonBody, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdempotencyKeyHeader, idempotencyKey);
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Compute(signingSecret, timestamp, jsonBody));
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return Classify(response, url);
        }
        catch (Exception e) when (OutboundFailure.Is(e)
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            log.LogWarning("Webhook {Host} unreachable for {IdempotencyKey}: {Error}", url.Host, idempotencyKey, e.GetType().Name);
            return DeliveryOutcome.RetryLater($"Webhook {url.Host} unreachable: {e.GetType().Name}: {e.Message}");
        }
    }

    private DeliveryOutcome Classify(HttpResponseMessage response, Uri url)
    {
        var status = (int)response.StatusCode;
        var what = $"Webhook {url.Host} answered HTTP {status} {response.ReasonPhrase}".TrimEnd();
        if (response.IsSuccessStatusCode) return DeliveryOutcome.Delivered;
        if (status >= 500 || HttpResilience.IsTransient(response.StatusCode))
            return DeliveryOutcome.RetryLater(what, RetryAfter(response));
        // 3xx included: redirects are not followed, so a moved webhook is an operator's fix, not a retry.
        return DeliveryOutcome.Failed(response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.PermanentRedirect
            ? $"{what}: the webhook moved; update Billing:WebhookUrl." : what);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - wall.GetUtcNow() : null);
        return delay is { } d && d < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }
}
