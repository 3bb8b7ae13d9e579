import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { type ComponentType, type LazyExoticComponent, Suspense, lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useParams } from 'react-router';
import { Loading } from './components/Loading';
import { RequireAuth } from './components/RequireAuth';
import { SandboxBanner } from '../shared/SandboxBanner';

// Every page loads when first visited, home too: a page opened directly (the payment code from a
// shortcut) does not download the home page first (bench/web-transfer.ts measures both).
const page = (load: () => Promise<{ default: ComponentType }>): LazyExoticComponent<ComponentType> => lazy(load);
const HomePage = page(() => import('./pages/Home').then((module) => ({ default: module.HomePage })));
const Login = page(() => import('./pages/Login'));
const Register = page(() => import('./pages/Register'));
const Security = page(() => import('./pages/Security'));
const Pin = page(() => import('./pages/Pin'));
const Password = page(() => import('./pages/Password'));
const Totp = page(() => import('./pages/Totp'));
const Sessions = page(() => import('./pages/Sessions'));
const Notifications = page(() => import('./pages/Notifications'));
const Freeze = page(() => import('./pages/Freeze'));
const Me = page(() => import('./pages/Me'));
const Confirm = page(() => import('./pages/Confirm'));
const Unavailable = page(() => import('./pages/Unavailable'));
const Records = page(() => import('./pages/Records'));
const RecordDetail = page(() => import('./pages/RecordDetail'));
const Cards = page(() => import('./pages/Cards'));
const AddCard = page(() => import('./pages/AddCard'));
const TopUp = page(() => import('./pages/TopUp'));
const Receive = page(() => import('./pages/funding/Receive'));
const OnlineBanking = page(() => import('./pages/funding/OnlineBanking'));
const OnlineBankingReturn = page(() => import('./pages/funding/OnlineBankingReturn'));
const Withdraw = page(() => import('./pages/Withdraw'));
const Transfer = page(() => import('./pages/Transfer'));
const Scan = page(() => import('./pages/Scan'));
const PayCode = page(() => import('./pages/PayCode'));
const Verify = page(() => import('./pages/Verify'));
const Held = page(() => import('./pages/Held'));
const Passkeys = page(() => import('./pages/Passkeys'));
const Requests = page(() => import('./pages/Requests'));
const PendingPayment = page(() => import('./pages/PendingPayment'));
const PayCodeDevices = page(() => import('./pages/PayCodeDevices'));
const BillsHome = page(() => import('./pages/bills/BillsHome'));
const BillsNew = page(() => import('./pages/bills/BillsNew'));
const BillAccount = page(() => import('./pages/bills/BillAccount'));
const BillAutopay = page(() => import('./pages/bills/BillAutopay'));
const BillHistory = page(() => import('./pages/bills/BillHistory'));
const BillPayment = page(() => import('./pages/bills/BillPayment'));
const SavingsHome = page(() => import('./savings/SavingsHome'));
const SavingsCatalogue = page(() => import('./savings/Catalogue'));
const SavingsProduct = page(() => import('./savings/ProductPage'));
const SavingsBuy = page(() => import('./savings/BuyPage'));
const SavingsFund = page(() => import('./savings/FundPage'));
const SavingsRedeem = page(() => import('./savings/RedeemPage'));
const SavingsDeposit = page(() => import('./savings/DepositPage'));
const SavingsOrder = page(() => import('./savings/OrderPage'));
const SavingsOrders = page(() => import('./savings/OrderPage').then((m) => ({ default: m.OrdersPage })));
const SavingsQuestionnaire = page(() => import('./savings/QuestionnairePage'));
const InsightsHome = page(() => import('./pages/insights/InsightsHome'));
const InsightsCategory = page(() => import('./pages/insights/CategoryPage'));
const InsightsBudgets = page(() => import('./pages/insights/BudgetsPage'));
const InsightsRules = page(() => import('./pages/insights/RulesPage'));
const AnnualReport = page(() => import('./pages/insights/AnnualReportPage'));
const Assets = page(() => import('./pages/insights/AssetsPage'));
const Checkout = page(() => import('./pages/Checkout'));
const MandateSign = page(() => import('./pages/MandateSign'));
const Mandates = page(() => import('./pages/Mandates'));
const CreditHome = page(() => import('./pages/credit/CreditHome'));
const CreditApply = page(() => import('./pages/credit/LoanApply'));
const CreditApplication = page(() => import('./pages/credit/Application'));
const CreditApplications = page(() =>
  import('./pages/credit/Application').then((m) => ({ default: m.ApplicationsPage })),
);
const CreditLoan = page(() => import('./pages/credit/Loan'));
const CreditLoanRepay = page(() => import('./pages/credit/Repay').then((m) => ({ default: m.LoanRepayPage })));
const CreditCard = page(() => import('./pages/credit/Card'));
const CreditCardRepay = page(() => import('./pages/credit/Repay').then((m) => ({ default: m.CardRepayPage })));
const CreditStatement = page(() => import('./pages/credit/Card').then((m) => ({ default: m.StatementPage })));
const CreditHealth = page(() => import('./pages/credit/Health'));
const ForgotPassword = page(() => import('./pages/support/ForgotPassword'));
const ForgotPin = page(() => import('./pages/support/ForgotPin'));
const Restrictions = page(() => import('./pages/support/Restrictions'));
const SecurityTips = page(() => import('./pages/support/SecurityTips'));
const Contact = page(() => import('./pages/support/Contact'));
const Help = page(() => import('./pages/support/Help'));
const HelpArticle = page(() => import('./pages/support/HelpArticle'));
const Tickets = page(() => import('./pages/support/Tickets'));
const NewTicket = page(() => import('./pages/support/NewTicket'));
const Ticket = page(() => import('./pages/support/Ticket'));
const Why = page(() => import('./pages/support/Why'));
const NewDispute = page(() => import('./pages/support/Disputes').then((m) => ({ default: m.NewDisputePage })));
const Dispute = page(() => import('./pages/support/Disputes'));
const Cases = page(() => import('./pages/support/Cases').then((m) => ({ default: m.CasesPage })));
const Case = page(() => import('./pages/support/Cases'));
const Preferences = page(() => import('./pages/support/Preferences'));
const RecoveryEmail = page(() => import('./pages/support/RecoveryEmail'));

/** The API contract names the held-payment page `/risk/confirmations/<id>`; the wallet shows it at `/held/<id>`. */
function HoldAlias() {
  const { id = '' } = useParams();
  return <Navigate to={`/held/${encodeURIComponent(id)}`} replace />;
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <div className="tb-app">
        <SandboxBanner />
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/login" element={<Login />} />
            <Route path="/register" element={<Register />} />
            <Route path="/emergency" element={<Freeze />} />
            <Route path="/pay/:order" element={<Checkout />} />
            <Route path="/mandate/:id" element={<MandateSign />} />
            <Route path="/forgot-password" element={<ForgotPassword />} />
            <Route path="/support/contact" element={<Contact />} />
            <Route path="/contact" element={<Navigate to="/support/contact" replace />} />
            <Route path="/help" element={<Help />} />
            <Route path="/help/security-tips" element={<SecurityTips />} />
            <Route path="/help/:slug" element={<HelpArticle />} />
            <Route element={<RequireAuth />}>
              <Route index element={<HomePage />} />
              <Route path="/me" element={<Me />} />
              <Route path="/security" element={<Security />} />
              <Route path="/security/pin" element={<Pin />} />
              <Route path="/security/pin/reset" element={<ForgotPin />} />
              <Route path="/me/restrictions" element={<Restrictions />} />
              <Route path="/me/mandates" element={<Mandates />} />
              <Route path="/support/tickets" element={<Tickets />} />
              <Route path="/support/tickets/new" element={<NewTicket />} />
              <Route path="/support/tickets/:id" element={<Ticket />} />
              <Route path="/support/why" element={<Why />} />
              <Route path="/support/disputes/new" element={<NewDispute />} />
              <Route path="/support/disputes/:id" element={<Dispute />} />
              <Route path="/support/cases" element={<Cases />} />
              <Route path="/support/cases/:id" element={<Case />} />
              <Route path="/notifications/settings" element={<Preferences />} />
              <Route path="/security/email" element={<RecoveryEmail />} />
              <Route path="/risk/confirmations/:id" element={<HoldAlias />} />
              <Route path="/wallet/topup" element={<Navigate to="/topup" replace />} />
              <Route path="/wallet/cards" element={<Navigate to="/cards" replace />} />
              <Route path="/me/kyc" element={<Navigate to="/verify" replace />} />
              <Route path="/me/freeze" element={<Navigate to="/security/freeze" replace />} />
              <Route path="/me/unfreeze" element={<Navigate to="/security/freeze" replace />} />
              <Route path="/security/password" element={<Password />} />
              <Route path="/security/totp" element={<Totp />} />
              <Route path="/security/sessions" element={<Sessions />} />
              <Route path="/security/passkeys" element={<Passkeys />} />
              <Route path="/security/freeze" element={<Freeze />} />
              <Route path="/notifications" element={<Notifications />} />
              <Route path="/confirm/:id" element={<Confirm />} />
              <Route path="/soon/:feature" element={<Unavailable />} />
              <Route path="/records" element={<Records />} />
              <Route path="/records/:id" element={<RecordDetail />} />
              <Route path="/cards" element={<Cards />} />
              <Route path="/cards/add" element={<AddCard />} />
              <Route path="/topup" element={<TopUp />} />
              <Route path="/topup/online" element={<OnlineBanking />} />
              <Route path="/topup/online/:id" element={<OnlineBankingReturn />} />
              <Route path="/receive" element={<Receive />} />
              <Route path="/withdraw" element={<Withdraw />} />
              <Route path="/transfer" element={<Transfer />} />
              <Route path="/requests" element={<Requests />} />
              <Route path="/scan" element={<Scan />} />
              <Route path="/pay-code" element={<PayCode />} />
              <Route path="/verify" element={<Verify />} />
              <Route path="/held/:id" element={<Held />} />
              <Route path="/pending/:id" element={<PendingPayment />} />
              <Route path="/security/pay-code-devices" element={<PayCodeDevices />} />
              <Route path="/bills" element={<BillsHome />} />
              <Route path="/bills/new/:type" element={<BillsNew />} />
              <Route path="/bills/accounts/:id" element={<BillAccount />} />
              <Route path="/bills/accounts/:id/autopay" element={<BillAutopay />} />
              <Route path="/bills/history" element={<BillHistory />} />
              <Route path="/bills/payments/:id" element={<BillPayment />} />
              <Route path="/savings" element={<SavingsHome />} />
              <Route path="/savings/products" element={<SavingsCatalogue />} />
              <Route path="/savings/products/:id" element={<SavingsProduct />} />
              <Route path="/savings/products/:id/buy" element={<SavingsBuy />} />
              <Route path="/savings/funds/:id" element={<SavingsFund />} />
              <Route path="/savings/funds/:id/redeem" element={<SavingsRedeem />} />
              <Route path="/savings/deposits/:id" element={<SavingsDeposit />} />
              <Route path="/savings/orders" element={<SavingsOrders />} />
              <Route path="/savings/orders/:id" element={<SavingsOrder />} />
              <Route path="/savings/questionnaire" element={<SavingsQuestionnaire />} />
              <Route path="/insights" element={<InsightsHome />} />
              <Route path="/insights/months/:month/categories/:category" element={<InsightsCategory />} />
              <Route path="/insights/budgets" element={<InsightsBudgets />} />
              <Route path="/insights/rules" element={<InsightsRules />} />
              <Route path="/insights/annual" element={<AnnualReport />} />
              <Route path="/insights/annual/:year" element={<AnnualReport />} />
              <Route path="/assets" element={<Assets />} />
              <Route path="/credit" element={<CreditHome />} />
              <Route path="/credit/loans/apply" element={<CreditApply />} />
              <Route path="/credit/applications" element={<CreditApplications />} />
              <Route path="/credit/applications/:id" element={<CreditApplication />} />
              <Route path="/credit/loans/:id" element={<CreditLoan />} />
              <Route path="/credit/loans/:id/repay" element={<CreditLoanRepay />} />
              <Route path="/credit/card" element={<CreditCard />} />
              <Route path="/credit/cards/:id/repay" element={<CreditCardRepay />} />
              <Route path="/credit/statements/:id" element={<CreditStatement />} />
              <Route path="/credit/health" element={<CreditHealth />} />
            </Route>
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Suspense>
      </div>
    </ConfigProvider>
  );
}
