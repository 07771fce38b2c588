"""Every model of the workshop, imported: what needs every table (the schema check, the copy to PostgreSQL, a
customer merge's search for what points at a customer) reads ALL_MODELS here, through ``models.load_all()``."""
from models.people import Customer, CustomerClass, SignInAttempt, Staff, StaffShop, Vehicle  # noqa: F401
from models.shop import (Bay, LaborRate, MaintenancePackage, Operation, OperationSeries,  # noqa: F401
                         PackageOperation, Setting, Shop, ShopSetting)
from models.orders import (JobLine, JobLineTechnician, OrderCounter, OrderPackage, RepairOrder,  # noqa: F401
                           TimeLog)
from models.parts import OldPartRecord, OperationPart, Part, PartLine, PartStock, StockMovement  # noqa: F401
from models.qc import ChecklistItem, Inspection, InspectionResult  # noqa: F401
from models.settlement import (Adjustment, FeeLine, OnAccountRelease, OpenBalance, Payment,  # noqa: F401
                               Settlement)
from models.followup import Answer, Callback, CallRecord, Complaint, Question  # noqa: F401
from models.purchasing import PurchaseOrder, PurchaseOrderLine, PurchaseOrderLink, Supplier  # noqa: F401
from models.warranty import WarrantyClaim, WarrantyClaimLine, WarrantyPayment, WarrantyRejection  # noqa: F401
from models.insurance import (InsuranceClaim, InsuranceDocument, InsuranceSupplement,  # noqa: F401
                              InsurerBalance, InsurerPayment)
from models.shopfloor import PickRequest, Shift, TradeDispatch  # noqa: F401
from models.tools import OperationTool, Tool, ToolCheckout, ToolRecord  # noqa: F401
from models.labour import LabourDay, LabourDayDone  # noqa: F401
from models.service_plan import PlannedService  # noqa: F401
from models.campaigns import Campaign, Invitation  # noqa: F401
from models.events import Event  # noqa: F401
from models.appointments import (Appointment, AppointmentCall, AppointmentDay, AppointmentLine,  # noqa: F401
                                 AppointmentPart, AppointmentSlot)
from models.approvals import LineApproval  # noqa: F401

ALL_MODELS = [
    Shop, ShopSetting,
    CustomerClass, Customer, Vehicle, Staff, StaffShop, SignInAttempt,
    Bay, Operation, OperationSeries, LaborRate, MaintenancePackage, PackageOperation, Setting,
    RepairOrder, OrderPackage, JobLine, JobLineTechnician, TimeLog, OrderCounter,
    Part, PartStock, OperationPart, PartLine, StockMovement, OldPartRecord,
    ChecklistItem, Inspection, InspectionResult,
    FeeLine, Adjustment, Settlement, Payment, OpenBalance, OnAccountRelease,
    Callback, CallRecord, Question, Answer, Complaint,
    Supplier, PurchaseOrder, PurchaseOrderLine, PurchaseOrderLink,
    WarrantyClaim, WarrantyClaimLine, WarrantyRejection, WarrantyPayment,
    InsuranceClaim, InsuranceSupplement, InsuranceDocument, InsurerBalance, InsurerPayment,
    TradeDispatch, Shift, PickRequest, Tool, ToolCheckout, ToolRecord, OperationTool, LabourDay, LabourDayDone,
    PlannedService, Campaign, Invitation,
    Event,
    Appointment, AppointmentLine, AppointmentSlot, AppointmentPart, AppointmentCall, AppointmentDay,
    LineApproval,
]
