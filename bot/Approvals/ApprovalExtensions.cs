using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Hosting;
using EmpowerBot.Outbox;

namespace EmpowerBot.Approvals;

public static class ApprovalExtensions
{
    /// <summary>Registers exception approvals: requests, the approval card and its actions, and the durable schedule.</summary>
    public static IHostApplicationBuilder AddApprovals(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSettings<ApprovalOptions, ApprovalOptionsValidator>("Approvals");
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<WaitingDecisions>();
        services.AddSingleton<AwayStore>();
        services.AddSingleton<IAwayStatus>(sp => sp.GetRequiredService<AwayStore>());
        services.AddSingleton<Approvers>();
        services.AddSingleton<ApprovalCardFactory>();
        services.AddSingleton<ApprovalCardDelivery>();
        services.AddSingleton<ApproverHandOver>();
        services.AddSingleton<IApproverChanges>(sp => sp.GetRequiredService<ApproverHandOver>());
        services.AddSingleton<CardCopyStore>();
        services.AddSingleton<ApprovalCardCopies>();
        services.AddSingleton<IOutboxHandler, CardCopyUpdateHandler>();
        services.AddSingleton<ISentMessageObserver>(sp => sp.GetRequiredService<ApprovalCardCopies>());
        services.AddSingleton<IExceptionRequests, ApprovalRequests>();
        services.AddSingleton<ApprovalSchedule>();
        foreach (var kind in new[] { ApprovalSchedule.SettleKind, ApprovalSchedule.RemindKind, ApprovalSchedule.ExpireKind, ApprovalSchedule.DeliverKind })
        {
            services.AddSingleton<IOutboxHandler>(sp => new ApprovalScheduleHandler(kind, sp.GetRequiredService<ApprovalSchedule>()));
        }
        foreach (var verb in new[] { ApprovalAction.Approve, ApprovalAction.Decline, ApprovalAction.Refresh })
        {
            services.AddSingleton<ICardActionHandler>(sp => ActivatorUtilities.CreateInstance<ApprovalAction>(sp, verb));
        }
        services.AddSingleton<ICardActionHandler, PassUpAction>();
        foreach (var verb in new[] { WaitingAction.Withdraw, WaitingAction.Note, WaitingAction.Nudge, WaitingAction.View })
        {
            services.AddSingleton<ICardActionHandler>(sp => ActivatorUtilities.CreateInstance<WaitingAction>(sp, verb));
        }
        services.AddSingleton<ICommand, ApprovalsCommand>();
        services.AddSingleton<ICommand, StatusCommand>();
        services.AddSingleton<ICommand, AwayCommand>();
        return builder;
    }
}
