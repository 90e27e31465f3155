using Azure.Core;
using Azure.Core.Pipeline;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// Logs every attempt of the SDK's retry loop that failed in a way it retries (a 408/429/5xx answer, a transport
/// failure), as the shared HTTP pipeline does for other peers: the SDK itself only writes to its EventSource. Only
/// the scheme, host and port are logged, never the address: it holds tenant and person keys.
/// </summary>
internal sealed class AttemptLog(ILogger log) : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception e) when (Failed(message, e))
        {
            throw;
        }
        Answered(message);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception e) when (Failed(message, e))
        {
            throw;
        }
        Answered(message);
    }

    private void Answered(HttpMessage message)
    {
        if (message.HasResponse && message.ResponseClassifier.IsRetriableResponse(message))
        {
            Warn(message, $"{message.Response.Status} {message.Response.ReasonPhrase}".TrimEnd());
        }
    }

    // An exception filter that logs and never catches, so the SDK's retry policy sees the exception unchanged.
    private bool Failed(HttpMessage message, Exception e)
    {
        if (message.ResponseClassifier.IsRetriableException(e))
        {
            Warn(message, e.GetType().Name);
        }
        return false;
    }

    private void Warn(HttpMessage message, string outcome)
    {
        var uri = message.Request.Uri;
        log.LogWarning("Call to Azure Table Storage at {Endpoint} failed ({Outcome}) on attempt {Attempt}; the client retries while attempts remain",
            $"{uri.Scheme}://{uri.Host}:{uri.Port}", outcome, message.ProcessingContext.RetryNumber + 1);
    }
}
